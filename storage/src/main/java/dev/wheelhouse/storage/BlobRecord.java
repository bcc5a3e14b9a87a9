package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;

/** Metadata of a committed blob: what GC and disk-usage accounting need. */
public record BlobRecord(Sha256 sha256, long size, Instant created) {
  public BlobRecord {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(created, "created");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }
}
