package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.Sha256;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most one upstream download per file at any time, whatever the number of clients asking for it
 * (DESIGN §5 "proxy file miss"). Thread-safe; {@link #fill} never blocks, so event loops may call
 * it.
 */
public final class FillCoordinator {
  private final BlobStore blobs;
  private final Executor fillExecutor;
  private final ConcurrentMap<String, Fill> inFlight = new ConcurrentHashMap<>();
  private final LongAdder coalesced = new LongAdder();

  /**
   * @param fillExecutor runs each download on a thread of its own for its whole duration (blocking
   *     reads from upstream, writes to disk): size it for the number of concurrent downloads
   */
  public FillCoordinator(BlobStore blobs, Executor fillExecutor) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.fillExecutor = Objects.requireNonNull(fillExecutor, "fillExecutor");
  }

  /**
   * The fill in flight for {@code key}, or a new one started on the executor. At most one upstream
   * download per key at any time; the entry is removed when the fill finishes (success or failure),
   * so a later request after a failure starts a new download. A call that joins a running fill
   * ignores its own {@code opener} and {@code expected}: the key must name the file. Callers look
   * for the committed blob first; this is for misses.
   */
  public Fill fill(String key, UpstreamOpener opener, Optional<Sha256> expected) {
    return fill(key, opener, expected, CommitHook.NONE);
  }

  /**
   * As {@link #fill(String, UpstreamOpener, Optional)}, with {@code onCommit} run by a new fill
   * once its blob is committed and before anyone sees it finish (a joined fill keeps its own).
   */
  public Fill fill(
      String key, UpstreamOpener opener, Optional<Sha256> expected, CommitHook onCommit) {
    Objects.requireNonNull(onCommit, "onCommit");
    Objects.requireNonNull(opener, "opener");
    Objects.requireNonNull(expected, "expected");
    Fill fresh = new Fill(key);
    Fill running = inFlight.putIfAbsent(key, fresh);
    if (running != null) {
      coalesced.increment();
      return running;
    }
    // Started outside the map's lock: a fill may finish (and remove itself) at once.
    Runnable retire = () -> inFlight.remove(key, fresh);
    try {
      fillExecutor.execute(() -> fresh.run(blobs, opener, expected, onCommit, retire));
    } catch (RejectedExecutionException e) {
      fresh.finish(null, e, retire);
    }
    return fresh;
  }

  /** Downloads running now. */
  public int inFlight() {
    return inFlight.size();
  }

  /** How many {@link #fill} calls joined an existing fill instead of starting a download. */
  public long coalesced() {
    return coalesced.sum();
  }
}
