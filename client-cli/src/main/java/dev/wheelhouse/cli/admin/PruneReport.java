package dev.wheelhouse.cli.admin;

import java.util.List;

/**
 * What {@code POST /admin/prune} selected and, when applied, deleted. Unknown fields are ignored.
 *
 * @param applied whether files were deleted (false: dry run)
 * @param entriesScanned cached entries considered
 * @param entriesSelected entries the policy selects
 * @param bytesSelected their total size
 * @param blobsDeleted blobs removed (applied only)
 * @param bytesFreed disk space given back (applied only; shared blobs free once)
 * @param skippedInUse selected entries kept because they were being served
 * @param projects selected entries by project
 * @param files selected entries, possibly cut short by the server ({@code filesTruncated})
 * @param filesTruncated whether {@code files} lists fewer than {@code entriesSelected}
 * @param tookMillis how long the prune ran
 * @param finishedAt when it finished, ISO-8601
 */
record PruneReport(
    boolean applied,
    long entriesScanned,
    long entriesSelected,
    long bytesSelected,
    long blobsDeleted,
    long bytesFreed,
    long skippedInUse,
    List<ProjectSize> projects,
    List<SelectedFile> files,
    boolean filesTruncated,
    long tookMillis,
    String finishedAt) {

  PruneReport {
    projects = projects == null ? List.of() : List.copyOf(projects);
    files = files == null ? List.of() : List.copyOf(files);
  }

  /**
   * One selected file.
   *
   * @param lastUsed when it was last served, ISO-8601, or null if never
   * @param reason which rule selected it: {@code max-size}, {@code max-age}, {@code min-free}
   */
  record SelectedFile(
      String index, String project, String name, long bytes, String lastUsed, String reason) {}
}
