package dev.wheelhouse.server.ops;

import dev.wheelhouse.server.misses.MissRecorder;
import dev.wheelhouse.server.provenance.RecentBuild;
import dev.wheelhouse.server.provenance.RecentBuilds;
import dev.wheelhouse.storage.PlatformMiss;
import java.util.List;
import java.util.Objects;

/** What was built lately and which platforms found no wheel, for the home page. */
public final class RecentActivity {
  /** Rows per table. */
  static final int ROWS = 10;

  private final RecentBuilds builds;
  private final MissRecorder misses;

  public RecentActivity(RecentBuilds builds, MissRecorder misses) {
    this.builds = Objects.requireNonNull(builds, "builds");
    this.misses = Objects.requireNonNull(misses, "misses");
  }

  /** The latest {@value #ROWS} builds and misses. Blocking. */
  Shown compute() {
    return new Shown(builds.latest(ROWS), misses.latest(ROWS));
  }

  /**
   * The rows the home page shows.
   *
   * @param builds the files built last, most recent first
   * @param misses the platform misses seen last, most recent first
   */
  record Shown(List<RecentBuild> builds, List<PlatformMiss> misses) {
    Shown {
      builds = List.copyOf(builds);
      misses = List.copyOf(misses);
    }
  }
}
