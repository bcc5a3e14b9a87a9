package dev.wheelhouse.cli.admin;

import java.util.List;

/**
 * What {@code GET /admin/stats} says about the store. Unknown fields are ignored.
 *
 * @param entries files in all indexes and mirrors
 * @param bytes their total size
 * @param blobs the content store under them (shared content stored once)
 * @param owners storage by index and apt mirror
 * @param largestProjects the biggest projects, largest first
 * @param lastPrune the last prune's report, or null if there was none
 * @param servedBytes bytes sent to clients
 * @param fetchedBytes bytes fetched from upstreams
 * @param hitRatio share of requests answered from the cache, or null before any
 */
record StorageStats(
    long entries,
    long bytes,
    Blobs blobs,
    List<Owner> owners,
    List<ProjectSize> largestProjects,
    PruneReport lastPrune,
    long servedBytes,
    long fetchedBytes,
    Double hitRatio) {

  StorageStats {
    blobs = blobs == null ? new Blobs(0, 0) : blobs;
    owners = owners == null ? List.of() : List.copyOf(owners);
    largestProjects = largestProjects == null ? List.of() : List.copyOf(largestProjects);
  }

  /** The content store: how many blobs and their size on disk. */
  record Blobs(long count, long bytes) {}

  /**
   * One index or apt mirror.
   *
   * @param kind {@code hosted}, {@code proxy}, {@code apt}, ...
   * @param lastAccess when a file of it was last served, ISO-8601, or null
   */
  record Owner(String name, String kind, long files, long bytes, long hits, String lastAccess) {}
}
