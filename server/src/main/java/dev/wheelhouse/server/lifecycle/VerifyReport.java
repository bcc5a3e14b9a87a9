package dev.wheelhouse.server.lifecycle;

import java.util.List;

/**
 * What a {@link Verifier} run checked and found.
 *
 * @param checked blobs re-hashed
 * @param bytesChecked their total size
 * @param corrupt blobs whose bytes did not match their digest (all quarantined)
 * @param corruptBlobs details of the first {@value Verifier#REPORT_LIMIT} of them
 * @param entriesDropped entries dropped because they held a corrupt blob
 * @param tookMillis how long the run took
 */
public record VerifyReport(
    long checked,
    long bytesChecked,
    long corrupt,
    List<CorruptBlob> corruptBlobs,
    long entriesDropped,
    long tookMillis) {
  public VerifyReport {
    corruptBlobs = List.copyOf(corruptBlobs);
  }
}
