package dev.wheelhouse.server.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Pruner} run selected and, when applied, deleted.
 *
 * @param applied false for a dry run, which deletes nothing
 * @param entriesScanned entries visited (all owners)
 * @param entriesSelected entries selected for eviction (deleted when applied)
 * @param bytesSelected their total size: what a dry run expects to free, shared blobs aside
 * @param blobsDeleted blob files deleted (0 in a dry run)
 * @param bytesFreed their total size (0 in a dry run)
 * @param skippedInUse blobs whose entry went but which were being downloaded, so were left for the
 *     garbage collector
 * @param projects bytes selected per project, largest first, at most {@value Pruner#REPORT_LIMIT}
 * @param files the selected entries in least-recently-used order, the first {@value
 *     Pruner#REPORT_LIMIT} only
 * @param filesTruncated whether more entries were selected than {@code files} lists
 * @param tookMillis how long the run took
 * @param finishedAt when it ended
 */
public record PruneReport(
    boolean applied,
    long entriesScanned,
    long entriesSelected,
    long bytesSelected,
    long blobsDeleted,
    long bytesFreed,
    long skippedInUse,
    List<ProjectTotal> projects,
    List<SelectedFile> files,
    boolean filesTruncated,
    long tookMillis,
    Instant finishedAt) {
  public PruneReport {
    projects = List.copyOf(projects);
    files = List.copyOf(files);
    Objects.requireNonNull(finishedAt, "finishedAt");
  }
}
