package dev.wheelhouse.server.http;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Runs storage work (RocksDB, hashing, file I/O) on a worker pool so event loops never block. The
 * future completes back on the caller's event loop.
 */
public final class BlockingExecutor {
  private final WorkerExecutor workers;

  public BlockingExecutor(WorkerExecutor workers) {
    this.workers = workers;
  }

  public <T> Future<T> run(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }
}
