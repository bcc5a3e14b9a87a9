package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry as the storage lifecycle sees it: what it is, the blobs it holds and how it was used.
 *
 * @param ref which entry
 * @param sha256 its main blob
 * @param size bytes of the main blob
 * @param extraBlob a second blob it holds, e.g. a wheel's METADATA
 * @param stored when it was uploaded or fetched
 * @param lastAccess when a client last got it, once recorded
 * @param hits how many times clients got it, as recorded
 */
public record StoredEntry(
    EntryRef ref,
    Sha256 sha256,
    long size,
    Optional<Sha256> extraBlob,
    Instant stored,
    Optional<Instant> lastAccess,
    long hits) {
  public StoredEntry {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(extraBlob, "extraBlob");
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(lastAccess, "lastAccess");
  }

  /** Last access, or when it was stored if never accessed: what least-recently-used ranks by. */
  public Instant lastUsed() {
    return lastAccess.orElse(stored);
  }
}
