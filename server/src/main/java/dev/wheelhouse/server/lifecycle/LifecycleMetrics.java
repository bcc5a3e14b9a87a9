package dev.wheelhouse.server.lifecycle;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Metrics of pruning, garbage collection, verification and access accounting. */
public final class LifecycleMetrics {
  private final Counter runs;
  private final Counter prunedFiles;
  private final Counter prunedBytes;
  private final Counter collectedBlobs;
  private final Counter verifiedBlobs;
  private final Counter corruptBlobs;
  private final Gauge lastPrune;

  public LifecycleMetrics(PrometheusRegistry registry, BlobLeases leases, AccessRecorder accesses) {
    runs =
        Counter.builder()
            .name("wheelhouse_lifecycle_runs_total")
            .help("Prune, gc and verify runs by operation and mode (dry-run, apply)")
            .labelNames("operation", "mode")
            .register(registry);
    prunedFiles =
        Counter.builder()
            .name("wheelhouse_pruned_files_total")
            .help("Entries removed by applied prunes")
            .register(registry);
    prunedBytes =
        Counter.builder()
            .name("wheelhouse_pruned_bytes_total")
            .help("Bytes freed by applied prunes")
            .register(registry);
    collectedBlobs =
        Counter.builder()
            .name("wheelhouse_gc_removed_total")
            .help("Orphan blobs and temp files removed by garbage collection")
            .register(registry);
    verifiedBlobs =
        Counter.builder()
            .name("wheelhouse_verified_blobs_total")
            .help("Blobs re-hashed by verification")
            .register(registry);
    corruptBlobs =
        Counter.builder()
            .name("wheelhouse_corrupt_blobs_total")
            .help("Blobs whose bytes did not match their digest; quarantined")
            .register(registry);
    lastPrune =
        Gauge.builder()
            .name("wheelhouse_last_prune_timestamp_seconds")
            .help("When the last applied prune finished (Unix time)")
            .register(registry);
    GaugeWithCallback.builder()
        .name("wheelhouse_blob_leases")
        .help("Blobs being sent to clients now (never pruned while leased)")
        .callback(cb -> cb.call(leases.size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("wheelhouse_access_counts_pending")
        .help("Entries with downloads counted in memory, not yet written")
        .callback(cb -> cb.call(accesses.pending()))
        .register(registry);
  }

  public void pruned(PruneReport report) {
    runs.labelValues("prune", report.applied() ? "apply" : "dry-run").inc();
    if (report.applied()) {
      prunedFiles.inc((double) report.entriesSelected());
      prunedBytes.inc((double) report.bytesFreed());
      lastPrune.set((double) report.finishedAt().getEpochSecond());
    }
  }

  public void collected(GcReport report) {
    runs.labelValues("gc", report.applied() ? "apply" : "dry-run").inc();
    collectedBlobs.inc((double) (report.removedBlobs() + report.removedTempFiles()));
  }

  public void verified(VerifyReport report) {
    runs.labelValues("verify", "apply").inc();
    verifiedBlobs.inc((double) report.checked());
    corruptBlobs.inc((double) report.corrupt());
  }
}
