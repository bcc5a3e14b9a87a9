package dev.wheelhouse.server.lifecycle;

/**
 * Hears how far a long storage task (prune, garbage collection, verification) has come, e.g. to log
 * it or show it in the admin API. Called from the task's thread every few thousand items and at the
 * end of each phase; it must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores all progress. */
  ProgressListener NONE = (phase, done, total) -> {};

  /**
   * Reports progress within one phase.
   *
   * @param phase what the task is doing, e.g. {@code "scan"} or {@code "prune"}
   * @param done items of this phase handled so far
   * @param total items this phase will handle, or -1 when unknown
   */
  void progress(String phase, long done, long total);
}
