package dev.wheelhouse.storage;

import java.util.List;

/**
 * Result of a {@link ConsistencyCheck}.
 *
 * @param danglingFiles file rows whose blob (or core-metadata blob) is missing, as {@code
 *     "index/project/filename -> sha256"} (core metadata: {@code "index/project/filename.metadata
 *     -> sha256"})
 * @param danglingBlobRecords blob rows whose blob file is missing
 * @param orphanBlobs blob files without a blob row: wasted space, not an inconsistency (a write in
 *     progress between blob commit and metadata looks like this too)
 * @param filesChecked file rows visited
 * @param blobsChecked blob rows visited
 */
public record ConsistencyReport(
    List<String> danglingFiles,
    List<Sha256> danglingBlobRecords,
    List<Sha256> orphanBlobs,
    long filesChecked,
    long blobsChecked) {

  public ConsistencyReport {
    danglingFiles = List.copyOf(danglingFiles);
    danglingBlobRecords = List.copyOf(danglingBlobRecords);
    orphanBlobs = List.copyOf(orphanBlobs);
  }

  /** True if no metadata points at a missing blob (DESIGN §6 rule 2). Orphans are allowed. */
  public boolean consistent() {
    return danglingFiles.isEmpty() && danglingBlobRecords.isEmpty();
  }
}
