package dev.wheelhouse.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A blob being written. Nothing is visible in the store until {@link #commit}; {@link #close}
 * without a commit discards the bytes. Use in try-with-resources.
 */
public interface BlobWriter extends AutoCloseable {

  /** Appends the remaining bytes of {@code data} (its position advances to its limit). */
  void write(ByteBuffer data) throws IOException;

  void write(byte[] data, int off, int len) throws IOException;

  /** Bytes written so far. */
  long size();

  /**
   * Verifies, fsyncs and renames the blob into place. If the same blob is already stored, the bytes
   * just written are dropped and the existing blob is returned.
   *
   * @throws DigestMismatchException if {@code expected} is present and differs; the temp file is
   *     deleted and nothing is stored
   */
  StoredBlob commit(Optional<Sha256> expected) throws IOException;

  /** Aborts (deletes the temp file) unless committed; idempotent. */
  @Override
  void close() throws IOException;
}
