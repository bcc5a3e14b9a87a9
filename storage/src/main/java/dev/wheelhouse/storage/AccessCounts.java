package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * Accesses of one entry added up in memory before they are written in one batch.
 *
 * @param last the latest access
 * @param hits how many accesses
 */
public record AccessCounts(Instant last, long hits) {
  public AccessCounts {
    Objects.requireNonNull(last, "last");
    if (hits < 0) {
      throw new IllegalArgumentException("negative hits: " + hits);
    }
  }

  /** These and {@code other} together. */
  public AccessCounts plus(AccessCounts other) {
    return new AccessCounts(last.isAfter(other.last) ? last : other.last, hits + other.hits);
  }
}
