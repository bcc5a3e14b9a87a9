package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.BlobWriter;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real store whose commits can be held: every byte is written, but the fill is not finished yet.
 * That is the moment the last byte must still be held back from clients, made to last as long as a
 * test needs to look.
 */
final class PausableCommits implements BlobStore {
  private final BlobStore store;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  PausableCommits(BlobStore store) {
    this.store = store;
  }

  /** Commits from now on wait for {@link #resume()}. */
  void pause() {
    gate = new CountDownLatch(1);
  }

  void resume() {
    gate.countDown();
  }

  @Override
  public BlobWriter newWriter(MessageDigest... alsoUpdate) throws IOException {
    BlobWriter writer = store.newWriter(alsoUpdate);
    return new BlobWriter() {
      @Override
      public void write(ByteBuffer data) throws IOException {
        writer.write(data);
      }

      @Override
      public void write(byte[] data, int off, int len) throws IOException {
        writer.write(data, off, len);
      }

      @Override
      public long size() {
        return writer.size();
      }

      @Override
      public Path tempPath() {
        return writer.tempPath();
      }

      @Override
      public StoredBlob commit(Optional<Sha256> expected) throws IOException {
        awaitGate();
        return writer.commit(expected);
      }

      @Override
      public void close() throws IOException {
        writer.close();
      }
    };
  }

  private void awaitGate() throws IOException {
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new IOException("commit never resumed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  @Override
  public Path tempDir() {
    return store.tempDir();
  }

  @Override
  public StoredBlob put(InputStream in, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException {
    return store.put(in, expected, alsoUpdate);
  }

  @Override
  public StoredBlob adopt(Path tempFile, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException {
    return store.adopt(tempFile, expected, alsoUpdate);
  }

  @Override
  public Optional<StoredBlob> get(Sha256 sha256) throws IOException {
    return store.get(sha256);
  }

  @Override
  public boolean contains(Sha256 sha256) {
    return store.contains(sha256);
  }

  @Override
  public boolean delete(Sha256 sha256) throws IOException {
    return store.delete(sha256);
  }

  @Override
  public boolean deleteUnlessRecommitted(Sha256 sha256) throws IOException {
    return store.deleteUnlessRecommitted(sha256);
  }

  @Override
  public Stream<Sha256> list() throws IOException {
    return store.list();
  }

  @Override
  public int sweepTemp() throws IOException {
    return store.sweepTemp();
  }

  @Override
  public void close() throws IOException {
    resume();
    store.close();
  }
}
