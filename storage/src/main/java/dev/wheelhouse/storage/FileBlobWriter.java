package dev.wheelhouse.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Streams into a temp file of a {@link FileBlobStore}; commit renames it into place. */
final class FileBlobWriter implements BlobWriter {
  private final FileBlobStore store;
  private final Path temp;
  private final FileChannel channel;
  private final BlobDigests digests;

  /**
   * Bytes in the temp file. Raised only after {@code channel.write} returned, and read without the
   * lock: see {@link BlobWriter#size}.
   */
  private final AtomicLong size = new AtomicLong();

  private boolean finished;
  private boolean failed;

  FileBlobWriter(FileBlobStore store, Path temp, FileChannel channel, BlobDigests digests) {
    this.store = store;
    this.temp = temp;
    this.channel = channel;
    this.digests = digests;
  }

  @Override
  public synchronized void write(ByteBuffer data) throws IOException {
    ensureWritable();
    digests.update(data);
    writeFully(data);
  }

  @Override
  public synchronized void write(byte[] data, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, data.length);
    ensureWritable();
    digests.update(data, off, len);
    writeFully(ByteBuffer.wrap(data, off, len));
  }

  @Override
  public long size() {
    return size.get();
  }

  @Override
  public Path tempPath() {
    return temp;
  }

  @Override
  public synchronized StoredBlob commit(Optional<Sha256> expected) throws IOException {
    ensureWritable();
    finished = true; // whatever happens below, this writer is done
    try {
      Sha256 actual = digests.finish(expected);
      channel.force(true);
      channel.close();
      return store.install(temp, actual, size.get());
    } finally {
      channel.close();
      store.deleteQuietly(temp); // already moved away on success; cleans up any failure
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      channel.close();
    } finally {
      store.deleteQuietly(temp);
    }
  }

  /** Writes all of {@code data}, counting each chunk once the OS has it (readers rely on that). */
  private void writeFully(ByteBuffer data) throws IOException {
    try {
      while (data.hasRemaining()) {
        size.addAndGet(channel.write(data));
      }
    } catch (IOException | RuntimeException e) {
      // The digests have seen bytes the file may lack: a commit could store wrong content.
      failed = true;
      throw e;
    }
  }

  private void ensureWritable() {
    if (finished) {
      throw new IllegalStateException("blob writer already committed or closed");
    }
    if (failed) {
      throw new IllegalStateException("a write of this blob writer failed; it can only be closed");
    }
  }
}
