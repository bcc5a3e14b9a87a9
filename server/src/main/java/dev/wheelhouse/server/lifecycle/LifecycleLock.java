package dev.wheelhouse.server.lifecycle;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets only one storage task (prune, garbage collection or verification) run at a time: they all
 * delete metadata and blobs, and each one's decisions assume the others are not deleting under it.
 *
 * <p>A second task fails fast with an {@link IllegalStateException} naming the running one rather
 * than waiting: these tasks take minutes on a large store, and an admin (or a schedule) asking for
 * one while another runs is better told so at once than left hanging. Share one instance between
 * the {@link Pruner}, the {@link GarbageCollector} and the {@link Verifier} of a server.
 */
public final class LifecycleLock {
  private final AtomicReference<String> running = new AtomicReference<>();

  /**
   * Takes the lock for {@code operation} (e.g. "prune"); close the result to release it.
   *
   * @throws IllegalStateException if a task holds it, e.g. "a prune is already running"
   */
  public Held acquire(String operation) {
    Objects.requireNonNull(operation, "operation");
    if (!running.compareAndSet(null, operation)) {
      String current = running.get();
      // current may have finished between the two reads; the message then names our own kind.
      throw new IllegalStateException(
          "a " + (current == null ? operation : current) + " is already running");
    }
    return new Held(operation);
  }

  /** The task running now, if any. */
  public Optional<String> running() {
    return Optional.ofNullable(running.get());
  }

  /** The lock, held by one task until closed (closing again does nothing). */
  public final class Held implements AutoCloseable {
    private final String operation;
    private boolean released;

    private Held(String operation) {
      this.operation = operation;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        running.compareAndSet(operation, null);
      }
    }
  }
}
