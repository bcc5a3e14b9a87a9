package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.files.FileSource;
import dev.wheelhouse.server.files.ServedFile;
import java.time.Instant;

/** Where the bytes of an apt request come from, and how clients may cache them. */
public sealed interface AptSource {
  /** {@code Cache-Control} for the response. */
  String cacheControl();

  /** A file in the store. */
  record Stored(ServedFile file, String cacheControl) implements AptSource {}

  /** A download in flight, shared with other clients, shown with {@code lastModified}. */
  record Filling(FileSource.Filling filling, String cacheControl, Instant lastModified)
      implements AptSource {}
}
