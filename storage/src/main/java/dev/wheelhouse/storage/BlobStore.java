package dev.wheelhouse.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Content-addressed store of immutable blobs keyed by sha256.
 *
 * <p>A blob becomes visible only once its bytes are complete, verified and durable (DESIGN §6 rule
 * 1): every write goes to a temp file, is hashed on the way, compared with the expected digest,
 * fsynced and atomically renamed into place. All methods block and are thread-safe.
 */
public interface BlobStore extends Closeable {

  /**
   * The directory for temp files. Callers may create files here (e.g. HTTP upload bodies) and then
   * {@link #adopt} them: it is on the same filesystem as the blobs, so the final rename is atomic.
   */
  Path tempDir();

  /**
   * Starts a streaming write. {@code alsoUpdate} digests (e.g. md5, blake2b) see the same bytes as
   * the sha256; read them after {@link BlobWriter#commit}.
   */
  BlobWriter newWriter(MessageDigest... alsoUpdate) throws IOException;

  /**
   * Stores everything {@code in} yields (the stream is read to its end, not closed).
   *
   * @throws DigestMismatchException if {@code expected} is present and differs; nothing is stored
   */
  StoredBlob put(InputStream in, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException;

  /**
   * Moves a file the caller wrote under {@link #tempDir()} into the store, hashing it in one read
   * pass. The store takes ownership: once this returns or throws an {@link IOException}, the temp
   * file is gone (moved into place, or deleted).
   *
   * @throws IllegalArgumentException if the file is not a regular file under {@link #tempDir()}
   *     (the file is then left alone)
   * @throws DigestMismatchException if {@code expected} is present and differs; nothing is stored
   */
  StoredBlob adopt(Path tempFile, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException;

  /** The committed blob, if present. */
  Optional<StoredBlob> get(Sha256 sha256) throws IOException;

  boolean contains(Sha256 sha256);

  /** Deletes a committed blob; false if it was not there. */
  boolean delete(Sha256 sha256) throws IOException;

  /**
   * Deletes a committed blob unless another writer committed the same bytes again recently (it may
   * not have recorded its entry yet); atomic with respect to commits of the same digest. Pruning
   * and garbage collection delete through this, after checking that nothing references the blob.
   *
   * @return true if the blob was deleted
   */
  boolean deleteUnlessRecommitted(Sha256 sha256) throws IOException;

  /** All committed blobs, lazily, in no particular order. The caller closes the stream. */
  Stream<Sha256> list() throws IOException;

  /**
   * Deletes everything in {@link #tempDir()}: leftovers of writes a crash interrupted. Called by
   * the store's {@code open}; calling it later aborts writes in progress.
   *
   * @return the number of files deleted
   */
  int sweepTemp() throws IOException;
}
