package dev.wheelhouse.storage;

import java.nio.file.Path;
import java.util.Objects;

/** A committed, verified, immutable blob: safe to serve from {@code path}. */
public record StoredBlob(Sha256 sha256, long size, Path path) {
  public StoredBlob {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }
}
