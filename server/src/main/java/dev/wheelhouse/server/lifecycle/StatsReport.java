package dev.wheelhouse.server.lifecycle;

import java.util.List;

/**
 * What the store holds, from {@link StoreStats#compute()}.
 *
 * @param entries all entries
 * @param bytes their total size (a blob held by two entries counts twice)
 * @param owners one row per owner and kind, sorted by name then kind
 * @param largestProjects the {@value StoreStats#TOP_PROJECTS} projects with the most bytes, largest
 *     first
 */
public record StatsReport(
    long entries, long bytes, List<OwnerTotal> owners, List<ProjectTotal> largestProjects) {
  public StatsReport {
    owners = List.copyOf(owners);
    largestProjects = List.copyOf(largestProjects);
  }
}
