package dev.wheelhouse.cli.admin;

import java.util.List;

/**
 * What {@code POST /admin/verify} checked and found. Unknown fields are ignored.
 *
 * @param checked blobs re-hashed
 * @param bytesChecked their total size
 * @param corrupt blobs whose content no longer matches their digest
 * @param corruptBlobs those blobs
 * @param entriesDropped index entries removed because their blob was corrupt
 * @param tookMillis how long the check ran
 */
record VerifyReport(
    long checked,
    long bytesChecked,
    long corrupt,
    List<CorruptBlob> corruptBlobs,
    long entriesDropped,
    long tookMillis) {

  VerifyReport {
    corruptBlobs = corruptBlobs == null ? List.of() : List.copyOf(corruptBlobs);
  }

  /**
   * One corrupt blob.
   *
   * @param sha256 the digest it is stored under
   * @param actual the digest of its content now
   * @param entries the entries that used it ({@code index/project/file})
   * @param quarantinedTo where the server moved it, or null
   */
  record CorruptBlob(String sha256, String actual, List<String> entries, String quarantinedTo) {
    CorruptBlob {
      entries = entries == null ? List.of() : List.copyOf(entries);
    }
  }
}
