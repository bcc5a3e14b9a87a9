package dev.wheelhouse.server.misses;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.server.files.FileDownloads;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.pypi.PageFile;
import dev.wheelhouse.server.pypi.PageViews;
import dev.wheelhouse.server.pypi.ProjectPage;
import dev.wheelhouse.server.pypi.ProjectPageService;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.PlatformMiss;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices pip and uv clients that get no wheel for their platform, from what they ask for: a
 * project page whose files include no wheel they accept, or an sdist they download (they are about
 * to build it). Each (index, project, platform, Python, libc) page is judged at most once per
 * {@link #JUDGED_FOR}, on a worker; sightings add up in memory and reach the store in batches
 * ({@link #flush}, on a schedule and at shutdown). Thread-safe.
 */
public final class MissRecorder implements PageViews, FileDownloads {
  private static final Logger LOG = LoggerFactory.getLogger(MissRecorder.class);
  static final Duration JUDGED_FOR = Duration.ofMinutes(5);

  private final IndexRegistry registry;
  private final ProjectPageService pages;
  private final MetadataStore metadata;
  private final BlockingExecutor blocking;
  private final Clock clock;
  private final MissMetrics metrics;
  // User-Agent strings repeat: each is parsed once.
  private final Cache<String, Optional<ClientPlatform>> clients =
      Caffeine.newBuilder().maximumSize(1_000).build();
  // Pages judged lately, by index NUL project NUL platform key.
  private final Cache<String, Boolean> judged =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(JUDGED_FOR).build();
  private final ConcurrentMap<String, PlatformMiss> pending = new ConcurrentHashMap<>();

  public MissRecorder(
      IndexRegistry registry,
      ProjectPageService pages,
      MetadataStore metadata,
      BlockingExecutor blocking,
      Clock clock,
      MissMetrics metrics) {
    this.registry = registry;
    this.pages = pages;
    this.metadata = metadata;
    this.blocking = blocking;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void projectPageServed(String index, String project, String userAgent) {
    Optional<ClientPlatform> client = client(userAgent);
    if (client.isEmpty()
        || judged.asMap().putIfAbsent(key(index, project, client.get()), Boolean.TRUE) != null) {
      return;
    }
    var unused =
        blocking.run(
            () -> {
              judge(index, project, client.get());
              return null;
            });
  }

  @Override
  public void fileServed(String index, String project, String filename, String userAgent) {
    Optional<Version> version = WheelFit.sdistVersion(filename);
    if (version.isEmpty()) {
      return;
    }
    Optional<ClientPlatform> client = client(userAgent);
    if (client.isEmpty()) {
      return;
    }
    record(
        client
            .get()
            .sighting(
                pageIndex(index, project, client.get()),
                project,
                clock.instant(),
                Optional.of(version.get().toString())));
  }

  /** Writes the sightings counted since the last flush, in one batch. Blocking. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, PlatformMiss> batch = new HashMap<>();
    for (String key : pending.keySet()) {
      PlatformMiss sighting = pending.remove(key);
      if (sighting != null) {
        batch.put(key, sighting);
      }
    }
    try {
      metadata.recordMisses(batch.values());
    } catch (RuntimeException e) {
      // Put them back: sightings are not lost for one failed write.
      batch.forEach((key, sighting) -> pending.merge(key, sighting, PlatformMiss::plus));
      LOG.warn("Recording {} platform misses failed: {}", batch.size(), e.toString());
    }
  }

  /** Every miss seen since {@code since} (all if empty), most recently seen first. Blocking. */
  public List<PlatformMiss> list(Optional<Instant> since) {
    flush();
    List<PlatformMiss> misses = new ArrayList<>();
    for (PlatformMiss miss : metadata.listMisses()) {
      if (since.isEmpty() || !miss.lastSeen().isBefore(since.get())) {
        misses.add(miss);
      }
    }
    misses.sort(Comparator.comparing(PlatformMiss::lastSeen).reversed());
    return misses;
  }

  /** The {@code limit} misses seen last, most recent first, sightings so far included. Blocking. */
  public List<PlatformMiss> latest(int limit) {
    flush();
    return metadata.latestMisses(limit);
  }

  /**
   * Forgets the misses of a project (once built for), so that its pages are judged afresh.
   * Blocking.
   *
   * @return how many platforms' misses were cleared
   */
  public int clear(String index, String project) {
    flush();
    String prefix = index + '\0' + project + '\0';
    judged.asMap().keySet().removeIf(key -> key.startsWith(prefix));
    return metadata.deleteMisses(index, project);
  }

  private Optional<ClientPlatform> client(String userAgent) {
    if (userAgent == null) {
      return Optional.empty();
    }
    return clients.get(userAgent, PipUserAgent::parse);
  }

  /** Decides whether the page offers the client a wheel; blocking. */
  private void judge(String index, String project, ClientPlatform client) {
    try {
      Optional<ProjectPage> page = pages.project(index, ProjectName.of(project));
      if (page.isEmpty() || page.get().files().isEmpty()) {
        return;
      }
      List<PageFile> files = page.get().files();
      if (WheelFit.anyWheelFits(files, client.target())) {
        return;
      }
      record(client.sighting(index, project, clock.instant(), WheelFit.newestSdist(files)));
    } catch (HttpProblem e) {
      LOG.debug("cannot judge {}/{} for {}: {}", index, project, client, e.reason());
    } catch (RuntimeException e) {
      LOG.warn("cannot judge {}/{} for {}: {}", index, project, client, e.toString());
    }
  }

  private void record(PlatformMiss sighting) {
    pending.merge(
        sighting.index() + '\0' + sighting.project() + '\0' + sighting.platformKey(),
        sighting,
        PlatformMiss::plus);
    metrics.miss(sighting.platform());
  }

  /**
   * The index whose page the client probably read before downloading from {@code fileIndex}: one
   * showing that index whose page it got lately, else the file's own index. Sdists are downloaded
   * from a member's {@code /files/}, pages read through a group.
   */
  private String pageIndex(String fileIndex, String project, ClientPlatform client) {
    for (String reader : registry.readersOf(fileIndex)) {
      if (judged.getIfPresent(key(reader, project, client)) != null) {
        return reader;
      }
    }
    return fileIndex;
  }

  private static String key(String index, String project, ClientPlatform client) {
    return index
        + '\0'
        + project
        + '\0'
        + client.sighting(index, project, Instant.EPOCH, Optional.empty()).platformKey();
  }
}
