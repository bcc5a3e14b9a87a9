package dev.wheelhouse.server.files;

import dev.wheelhouse.server.proxy.fill.Fill;
import java.util.Optional;

/** Where the bytes of a file request come from: the store, or a download still in flight. */
public sealed interface FileSource {
  /** A committed blob. */
  record Stored(ServedFile file) implements FileSource {}

  /** An upstream download shared with other clients; {@code etag} when the hash is known. */
  record Filling(Fill fill, String contentType, Optional<String> etag) implements FileSource {}
}
