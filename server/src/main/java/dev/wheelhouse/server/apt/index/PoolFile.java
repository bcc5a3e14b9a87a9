package dev.wheelhouse.server.apt.index;

import java.util.Objects;
import java.util.Optional;

/**
 * A file a Packages or Sources index lists, which apt fetches from the repository's pool.
 *
 * @param path the path relative to the repository root, e.g. {@code
 *     pool/main/h/hello/hello_2.10-3_amd64.deb}
 * @param size the size in bytes
 * @param sha256 the SHA-256 digest in lower-case hex, if the index gives one
 */
public record PoolFile(String path, long size, Optional<String> sha256) {

  public PoolFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
  }
}
