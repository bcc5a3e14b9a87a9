package dev.wheelhouse.server.pypi;

import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.storage.FileRecord;
import java.util.List;

/** What one project page lists: its files, in version order, each with the index holding it. */
public record ProjectPage(ProjectName name, String displayName, List<FileRecord> files) {
  public ProjectPage {
    files = List.copyOf(files);
  }
}
