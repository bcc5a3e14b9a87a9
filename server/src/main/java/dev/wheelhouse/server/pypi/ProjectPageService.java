package dev.wheelhouse.server.pypi;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.proxy.ProxyLookup;
import dev.wheelhouse.server.proxy.ProxyPages;
import dev.wheelhouse.server.proxy.upstream.UpstreamFile;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.ProjectRecord;
import dev.wheelhouse.storage.UpstreamPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Composes project pages. A hosted or proxy index answers for itself; a group asks its members in
 * order (or the members its route names) and merges their files, the first member holding a file
 * name winning. A project found in a hosted member hides the proxy members (dependency-confusion
 * protection) unless the group's {@code merge-allowed} names it. Blocking: call on a worker thread.
 */
public final class ProjectPageService {
  private static final Comparator<PageFile> VERSION_ORDER =
      Comparator.comparing((PageFile f) -> Version.parse(f.version()))
          .thenComparing(PageFile::filename);

  private final IndexRegistry registry;
  private final MetadataStore metadata;
  private static final Duration ABSENT_RECHECK = Duration.ofMinutes(1);

  private final Map<String, ProxyPages> proxies;
  private final Clock clock;

  public ProjectPageService(
      IndexRegistry registry,
      MetadataStore metadata,
      Map<String, ProxyPages> proxies,
      Clock clock) {
    this.registry = registry;
    this.metadata = metadata;
    this.proxies = Map.copyOf(proxies);
    this.clock = clock;
  }

  public Optional<ProjectPage> project(String index, ProjectName name) {
    IndexConfig requested = registry.require(index);
    List<IndexConfig> leaves = registry.leaves(index, name);
    boolean mergeAllowed =
        requested.type() == IndexType.GROUP
            && ProjectPattern.anyMatches(requested.mergeAllowed(), name.value());

    Map<String, ProjectRecord> hostedHits = new LinkedHashMap<>();
    for (IndexConfig leaf : leaves) {
      if (leaf.type() == IndexType.HOSTED) {
        metadata
            .getProject(leaf.name(), name.value())
            .ifPresent(p -> hostedHits.put(leaf.name(), p));
      }
    }
    boolean askProxies = hostedHits.isEmpty() || mergeAllowed;

    List<PageFile> files = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    List<String> stale = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    String displayName = null;
    Optional<Instant> validUntil = Optional.empty();
    for (IndexConfig leaf : leaves) {
      if (leaf.type() == IndexType.HOSTED) {
        ProjectRecord project = hostedHits.get(leaf.name());
        if (project == null) {
          continue;
        }
        displayName = displayName == null ? project.displayName() : displayName;
        Set<String> built = metadata.filesWithProvenance(leaf.name(), name.value());
        for (FileRecord file : metadata.listFiles(leaf.name(), name.value())) {
          if (seen.add(file.filename())) {
            files.add(PageFile.of(file, built.contains(file.filename())));
          }
        }
      } else if (askProxies) {
        ProxyLookup lookup = proxies.get(leaf.name()).lookup(name);
        if (lookup instanceof ProxyLookup.Found found) {
          displayName = displayName == null ? found.project().name() : displayName;
          if (found.stale()) {
            stale.add(leaf.name());
          }
          validUntil = earliest(validUntil, found.freshUntil());
          Map<String, FileRecord> downloaded = new LinkedHashMap<>();
          for (FileRecord file : metadata.listFiles(leaf.name(), name.value())) {
            downloaded.put(file.filename(), file);
          }
          for (UpstreamFile file : found.project().files()) {
            if (seen.add(file.filename())) {
              files.add(
                  proxied(
                      leaf.name(),
                      name,
                      file,
                      Optional.ofNullable(downloaded.get(file.filename()))));
            }
          }
        } else if (lookup instanceof ProxyLookup.Absent) {
          // A member absent now may have the project after its short negative TTL.
          validUntil = earliest(validUntil, clock.instant().plus(ABSENT_RECHECK));
        } else if (lookup instanceof ProxyLookup.Unavailable gone) {
          unavailable.add(gone.reason());
        }
      }
    }
    if (displayName == null) {
      if (!unavailable.isEmpty()) {
        boolean offline = unavailable.stream().allMatch(r -> r.startsWith("offline mode"));
        // An outage is not an absence: 502 keeps pip from caching a wrong "no such project".
        throw new HttpProblem(offline ? 404 : 502, String.join("; ", unavailable));
      }
      return Optional.empty();
    }
    files.sort(VERSION_ORDER);
    return Optional.of(new ProjectPage(name, displayName, files, stale, validUntil));
  }

  private static Optional<Instant> earliest(Optional<Instant> current, Instant candidate) {
    return Optional.of(current.filter(c -> c.isBefore(candidate)).orElse(candidate));
  }

  /**
   * A proxied file as pages show it: upstream's facts, completed by what the store learned when the
   * file was downloaded (its sha256 when upstream gave none, its size, its METADATA).
   */
  private static PageFile proxied(
      String index, ProjectName project, UpstreamFile file, Optional<FileRecord> stored) {
    Optional<String> sha = file.sha256().or(() -> stored.map(f -> f.sha256().hex()));
    OptionalLong size = file.size();
    if (size.isEmpty() && stored.isPresent()) {
      size = OptionalLong.of(stored.get().size());
    }
    Optional<MetadataOffer> coreMetadata =
        file.coreMetadata()
            .map(ref -> new MetadataOffer(ref.sha256()))
            .or(
                () ->
                    stored
                        .flatMap(FileRecord::coreMetadata)
                        .map(m -> new MetadataOffer(Optional.of(m.hex()))));
    return new PageFile(
        index,
        project.value(),
        file.filename(),
        DistributionFilename.parse(file.filename()).version().toString(),
        sha,
        Map.of(),
        size,
        file.uploadTime(),
        file.requiresPython(),
        file.yanked(),
        coreMetadata,
        false);
  }

  /**
   * Projects of an index, sorted by normalized name: hosted projects, and the projects proxies have
   * cached (an upstream's full list is not fetched).
   */
  public List<ProjectRecord> projects(String index) {
    Map<String, ProjectRecord> byName = new LinkedHashMap<>();
    for (IndexConfig leaf : registry.leavesOf(index)) {
      if (leaf.type() == IndexType.HOSTED) {
        for (ProjectRecord project : metadata.listProjects(leaf.name())) {
          byName.putIfAbsent(project.project(), project);
        }
      } else {
        metadata.forEachUpstreamPage(
            leaf.name(),
            (UpstreamPage page) -> {
              if (page.status() == 200) {
                byName.putIfAbsent(
                    page.project(),
                    new ProjectRecord(
                        leaf.name(), page.project(), page.project(), page.fetchedAt()));
              }
            });
      }
    }
    List<ProjectRecord> out = new ArrayList<>(byName.values());
    out.sort(Comparator.comparing(ProjectRecord::project));
    return out;
  }
}
