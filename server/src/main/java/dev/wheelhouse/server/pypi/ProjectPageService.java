package dev.wheelhouse.server.pypi;

import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.ProjectRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads project pages and the project list of an index from the metadata store. A group merges its
 * hosted members in order; when two members hold the same file name, the first one wins. Blocking:
 * call on a worker thread.
 */
public final class ProjectPageService {
  private static final Comparator<FileRecord> VERSION_ORDER =
      Comparator.comparing((FileRecord f) -> Version.parse(f.version()))
          .thenComparing(FileRecord::filename);

  private final IndexRegistry registry;
  private final MetadataStore metadata;

  public ProjectPageService(IndexRegistry registry, MetadataStore metadata) {
    this.registry = registry;
    this.metadata = metadata;
  }

  public Optional<ProjectPage> project(String index, ProjectName name) {
    List<FileRecord> files = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String displayName = null;
    for (String hosted : registry.hostedMembers(index)) {
      Optional<ProjectRecord> project = metadata.getProject(hosted, name.value());
      if (project.isEmpty()) {
        continue;
      }
      if (displayName == null) {
        displayName = project.get().displayName();
      }
      for (FileRecord file : metadata.listFiles(hosted, name.value())) {
        if (seen.add(file.filename())) {
          files.add(file);
        }
      }
    }
    if (displayName == null) {
      return Optional.empty();
    }
    files.sort(VERSION_ORDER);
    return Optional.of(new ProjectPage(name, displayName, files));
  }

  /** Projects of an index, sorted by normalized name, with the display name first seen. */
  public List<ProjectRecord> projects(String index) {
    Map<String, ProjectRecord> byName = new LinkedHashMap<>();
    for (String hosted : registry.hostedMembers(index)) {
      for (ProjectRecord project : metadata.listProjects(hosted)) {
        byName.putIfAbsent(project.project(), project);
      }
    }
    List<ProjectRecord> out = new ArrayList<>(byName.values());
    out.sort(Comparator.comparing(ProjectRecord::project));
    return out;
  }
}
