package dev.wheelhouse.cli.admin;

/**
 * What {@code POST /admin/gc} found and, when applied, removed. Unknown fields are ignored.
 *
 * @param applied whether anything was removed (false: dry run)
 * @param blobsScanned blobs looked at
 * @param orphanBlobs blobs no entry refers to
 * @param orphanBytes their total size
 * @param removedBlobs orphan blobs removed (applied only)
 * @param removedTempFiles leftover temporary files removed
 * @param tookMillis how long the collection ran
 */
record GcReport(
    boolean applied,
    long blobsScanned,
    long orphanBlobs,
    long orphanBytes,
    long removedBlobs,
    long removedTempFiles,
    long tookMillis) {}
