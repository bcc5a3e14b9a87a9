package dev.wheelhouse.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A blob being written. Nothing is visible in the store until {@link #commit}; {@link #close}
 * without a commit discards the bytes. Use in try-with-resources.
 *
 * <p>Writes, commit and close are serialized and meant for one thread, the writer's owner. {@link
 * #size} and {@link #tempPath} may be called from any thread at any time, without blocking: with
 * them other threads can read the bytes written so far while the write goes on, e.g. to serve a
 * file to clients while it is still downloading from upstream. Readers cannot tell from the file
 * whether the blob is complete, was committed or was aborted: the owner must tell them.
 */
public interface BlobWriter extends AutoCloseable {

  /**
   * Appends the remaining bytes of {@code data} (its position advances to its limit).
   *
   * <p>If it throws an {@link IOException}, the file may hold only part of {@code data}: the writer
   * is then unusable, further writes and {@link #commit} throw {@link IllegalStateException}, and
   * only {@link #close} remains.
   */
  void write(ByteBuffer data) throws IOException;

  /**
   * Appends {@code len} bytes of {@code data} from {@code off}; fails like {@link
   * #write(ByteBuffer)}.
   */
  void write(byte[] data, int off, int len) throws IOException;

  /**
   * Bytes written so far; thread-safe and non-blocking, even while a write or the commit's fsync is
   * in progress.
   *
   * <p>Every byte counted is already in {@link #tempPath()}, at its final offset: the writer hands
   * bytes to the operating system ({@code FileChannel.write}) before it raises this count, and
   * publishes the count through a volatile. So a thread that reads {@code n} here and then reads
   * the temp file through its own channel gets at least {@code n} bytes, exactly those written. No
   * fsync is involved: readers on the same machine share the OS page cache; fsync is about
   * surviving a crash, which {@link #commit} takes care of. The count never decreases and stays
   * final after commit or close.
   */
  long size();

  /**
   * The temp file this writer appends to, so that other threads can read the bytes already written
   * (up to {@link #size()}) while the write is still going on. Open a read-only channel of your
   * own; never write to the file, move it or delete it.
   *
   * <p>The path is valid until {@link #commit} or {@link #close}: a commit renames the file to the
   * blob's path (or deletes it, when the same blob was already stored), a close without commit
   * deletes it. A channel opened before that keeps reading the same file (inode), so a reader can
   * finish reading through it after the commit; opening the path afterwards fails with {@link
   * java.nio.file.NoSuchFileException}, so open it early. (POSIX filesystem semantics; also note
   * that {@link BlobStore#sweepTemp} deletes temp files of writes in progress.)
   */
  Path tempPath();

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
