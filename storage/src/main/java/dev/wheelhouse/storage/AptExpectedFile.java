package dev.wheelhouse.storage;

import java.util.Objects;

/**
 * What an apt index (Packages, Sources) that passed through the cache says a pool file is: a
 * download of that path is served only if it has this digest and size.
 *
 * @param mirror the configured mirror's name
 * @param path the file's path below the mirror's root, as the index's {@code Filename} gives it
 * @param sha256 its digest
 * @param size its size in bytes
 */
public record AptExpectedFile(String mirror, String path, Sha256 sha256, long size) {
  public AptExpectedFile {
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }
}
