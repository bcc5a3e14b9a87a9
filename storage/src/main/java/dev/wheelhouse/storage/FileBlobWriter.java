package dev.wheelhouse.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Streams into a temp file of a {@link FileBlobStore}; commit renames it into place. */
final class FileBlobWriter implements BlobWriter {
  private final FileBlobStore store;
  private final Path temp;
  private final FileChannel channel;
  private final BlobDigests digests;
  private long size;
  private boolean finished;

  FileBlobWriter(FileBlobStore store, Path temp, FileChannel channel, BlobDigests digests) {
    this.store = store;
    this.temp = temp;
    this.channel = channel;
    this.digests = digests;
  }

  @Override
  public synchronized void write(ByteBuffer data) throws IOException {
    ensureOpen();
    digests.update(data);
    size += writeFully(data);
  }

  @Override
  public synchronized void write(byte[] data, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, data.length);
    ensureOpen();
    digests.update(data, off, len);
    size += writeFully(ByteBuffer.wrap(data, off, len));
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized StoredBlob commit(Optional<Sha256> expected) throws IOException {
    ensureOpen();
    finished = true; // whatever happens below, this writer is done
    try {
      Sha256 actual = digests.finish(expected);
      channel.force(true);
      channel.close();
      return store.install(temp, actual, size);
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

  private int writeFully(ByteBuffer data) throws IOException {
    int written = 0;
    while (data.hasRemaining()) {
      written += channel.write(data);
    }
    return written;
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("blob writer already committed or closed");
    }
  }
}
