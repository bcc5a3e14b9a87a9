package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.BlobWriter;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream download into the blob store, shared by every client that asks for the same file
 * while it runs. Clients never cancel it: whoever asked first does not own it, so a disconnect
 * cannot waste the bytes the others are waiting for. Created and started by {@link
 * FillCoordinator}.
 */
public final class Fill {
  private static final Logger log = LoggerFactory.getLogger(Fill.class);

  /** Upstream read size: one buffer per fill, whatever the file size. */
  static final int CHUNK_SIZE = 64 * 1024;

  private final String key;
  private final CompletableFuture<StoredBlob> done = new CompletableFuture<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  // Set on the fill thread once the temp file exists; read by clients on their event loops.
  private volatile BlobWriter writer;
  private volatile OptionalLong expectedSize = OptionalLong.empty();

  Fill(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /**
   * The growing temp file. Open it before reading {@link #available()}: the file is renamed into
   * the store on commit (an open channel keeps reading the same bytes) and deleted on failure.
   *
   * @throws IllegalStateException before the fill has created it, i.e. while {@link #available()}
   *     is still 0 and the fill has not finished
   */
  public Path tempFile() {
    BlobWriter current = writer;
    if (current == null) {
      throw new IllegalStateException("fill of " + key + " has not started writing");
    }
    return current.tempPath();
  }

  /** Bytes written so far; all of them are readable from {@link #tempFile()}. */
  public long available() {
    BlobWriter current = writer;
    return current == null ? 0 : current.size();
  }

  /** The upstream's Content-Length, once the response has started and if it sent one. */
  public OptionalLong expectedSize() {
    return expectedSize;
  }

  public boolean finished() {
    return done.isDone();
  }

  /**
   * The committed blob, or exceptionally: {@link dev.wheelhouse.storage.DigestMismatchException}
   * (nothing stored), {@link UpstreamException}, or another exception when the local store failed.
   * A copy, so that no caller can complete the fill for the others.
   */
  public CompletableFuture<StoredBlob> done() {
    return done.copy();
  }

  /**
   * Calls {@code listener} on the fill thread after each chunk is written and once when finished
   * (after {@link #done()} completed). It must be cheap and not block, e.g. {@code
   * context.runOnContext(...)}. Add it before checking the state, so that no update is missed.
   */
  public void onProgress(Runnable listener) {
    listeners.add(listener);
  }

  public void removeProgressListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** For tests: how many clients are still following this fill. */
  int progressListeners() {
    return listeners.size();
  }

  /**
   * Downloads on the calling (executor) thread; {@code onCommit} runs once the blob is stored,
   * {@code retire} just before completion.
   */
  void run(
      BlobStore blobs,
      UpstreamOpener opener,
      Optional<Sha256> expected,
      CommitHook onCommit,
      Runnable retire) {
    StoredBlob blob;
    try {
      blob = download(blobs, opener, expected);
    } catch (Throwable e) { // every failure, even an Error, must reach the waiting clients
      finish(null, e, retire);
      return;
    }
    try {
      onCommit.committed(blob);
    } catch (IOException | RuntimeException e) {
      // The bytes are stored and verified: clients still get them; the file is fetched again
      // later only if its record is missing.
      log.warn("Recording fill of {} failed", key, e);
    }
    finish(blob, null, retire);
  }

  /**
   * Completes the fill. {@code retire} (removal from the coordinator) runs first, so that whoever
   * sees the failure and asks again gets a new download, never this finished one.
   */
  void finish(StoredBlob blob, Throwable failure, Runnable retire) {
    retire.run();
    if (failure == null) {
      done.complete(blob);
    } else {
      log.debug("Fill of {} failed", key, failure);
      done.completeExceptionally(failure);
    }
    notifyListeners();
  }

  private StoredBlob download(BlobStore blobs, UpstreamOpener opener, Optional<Sha256> expected)
      throws IOException {
    // Closing an uncommitted writer deletes the temp file, before done() reports the failure.
    try (BlobWriter out = blobs.newWriter()) {
      writer = out;
      try (UpstreamBody body = open(opener)) {
        expectedSize = body.contentLength();
        copy(body, out);
      }
      return out.commit(expected);
    }
  }

  private static UpstreamBody open(UpstreamOpener opener) throws UpstreamException {
    try {
      return opener.open();
    } catch (UpstreamException e) {
      throw e;
    } catch (IOException e) {
      throw new UpstreamException("cannot fetch from upstream: " + e, e);
    }
  }

  private void copy(UpstreamBody body, BlobWriter out) throws IOException {
    long limit = body.contentLength().orElse(Long.MAX_VALUE);
    byte[] chunk = new byte[CHUNK_SIZE];
    long total = 0;
    while (true) {
      int n = read(body.stream(), chunk);
      if (n < 0) {
        break;
      }
      total += n;
      // Fail as soon as the body overruns: clients were promised Content-Length bytes.
      if (total > limit) {
        throw new UpstreamException("upstream sent more than its Content-Length of " + limit);
      }
      out.write(chunk, 0, n);
      notifyListeners();
    }
    if (body.contentLength().isPresent() && total != limit) {
      throw new UpstreamException("upstream body ended after " + total + " of " + limit + " bytes");
    }
  }

  private static int read(InputStream in, byte[] chunk) throws UpstreamException {
    try {
      return in.read(chunk);
    } catch (IOException e) {
      throw new UpstreamException("reading from upstream failed: " + e, e);
    }
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) { // one broken listener must not stop the download
        log.warn("Progress listener of fill {} failed", key, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Fill[" + key + ", " + available() + " bytes" + (finished() ? ", finished]" : "]");
  }
}
