package dev.wheelhouse.server.lifecycle;

/**
 * What a {@link GarbageCollector} run found and, when applied, removed.
 *
 * @param applied false for a dry run, which deletes nothing
 * @param blobsScanned blob files visited
 * @param orphanBlobs blob files no entry holds, not in use and older than the grace period
 * @param orphanBytes their total size
 * @param removedBlobs orphan blob files deleted (0 in a dry run)
 * @param removedTempFiles temp files older than the grace period deleted, or in a dry run those
 *     that would be
 * @param tookMillis how long the run took
 */
public record GcReport(
    boolean applied,
    long blobsScanned,
    long orphanBlobs,
    long orphanBytes,
    long removedBlobs,
    long removedTempFiles,
    long tookMillis) {}
