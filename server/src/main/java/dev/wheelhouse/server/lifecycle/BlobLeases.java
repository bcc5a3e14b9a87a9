package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.Sha256;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blobs in use right now (being sent to a client): pruning and garbage collection leave them alone,
 * so that no download in progress loses its file. Thread-safe; cheap enough for every response.
 */
public final class BlobLeases {
  private final ConcurrentMap<Sha256, AtomicInteger> held = new ConcurrentHashMap<>();

  /** Marks {@code sha256} in use until the returned lease is released (exactly once). */
  public Lease acquire(Sha256 sha256) {
    held.compute(
        sha256,
        (key, count) -> {
          AtomicInteger counter = count == null ? new AtomicInteger() : count;
          counter.incrementAndGet();
          return counter;
        });
    return new Lease(sha256);
  }

  public boolean isLeased(Sha256 sha256) {
    return held.containsKey(sha256);
  }

  /** Blobs in use now. */
  public int size() {
    return held.size();
  }

  private void release(Sha256 sha256) {
    held.computeIfPresent(sha256, (key, count) -> count.decrementAndGet() == 0 ? null : count);
  }

  /** One use of a blob; release it when the response has ended, whatever its outcome. */
  public final class Lease implements AutoCloseable {
    private final Sha256 sha256;
    private boolean released;

    private Lease(Sha256 sha256) {
      this.sha256 = sha256;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        release(sha256);
      }
    }
  }
}
