package dev.wheelhouse.server.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * A blob whose bytes did not match its digest, as a {@link Verifier} found and quarantined it.
 *
 * @param sha256 the digest it is stored under
 * @param actual the digest of the bytes found
 * @param entries the entries that held it and were dropped ({@link
 *     dev.wheelhouse.storage.EntryRef#toString()})
 * @param quarantinedTo where the bad bytes are now
 */
public record CorruptBlob(
    String sha256, String actual, List<String> entries, String quarantinedTo) {
  public CorruptBlob {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(actual, "actual");
    entries = List.copyOf(entries);
    Objects.requireNonNull(quarantinedTo, "quarantinedTo");
  }
}
