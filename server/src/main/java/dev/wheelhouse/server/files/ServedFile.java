package dev.wheelhouse.server.files;

import dev.wheelhouse.storage.Sha256;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A committed blob ready to send: where it is, how long, its digest (which is its entity tag) and
 * media type.
 */
public record ServedFile(
    Path path, long size, Sha256 sha256, Instant lastModified, String contentType) {
  /** The strong entity tag: the quoted sha256, the same for the same bytes wherever they are. */
  public String etag() {
    return "\"" + sha256.hex() + "\"";
  }
}
