package dev.wheelhouse.server.proxy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.LongSupplier;

/** Metrics of the pull-through cache, by proxy index. */
public final class ProxyMetrics {
  private final PrometheusRegistry registry;
  private final Counter files;
  private final Counter bytesFetched;
  private final Counter upstreamErrors;
  private final Histogram upstreamSeconds;
  private final Counter hashMismatches;
  private final Counter stalePages;

  public ProxyMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    files =
        Counter.builder()
            .name("wheelhouse_proxy_files_total")
            .help(
                "Proxied file requests by index and result (hit: served from the store, miss: fetched)")
            .labelNames("index", "result")
            .register(registry);
    bytesFetched =
        Counter.builder()
            .name("wheelhouse_proxy_upstream_bytes_total")
            .help("Bytes downloaded from upstreams into the store, by index")
            .labelNames("index")
            .register(registry);
    upstreamErrors =
        Counter.builder()
            .name("wheelhouse_proxy_upstream_errors_total")
            .help("Failed upstream requests by index and kind (page, file)")
            .labelNames("index", "kind")
            .register(registry);
    upstreamSeconds =
        Histogram.builder()
            .name("wheelhouse_proxy_upstream_seconds")
            .help("Upstream response time (pages: whole body; files: until the body starts)")
            .unit(Unit.SECONDS)
            .labelNames("index", "kind")
            .register(registry);
    hashMismatches =
        Counter.builder()
            .name("wheelhouse_proxy_hash_mismatches_total")
            .help("Upstream files whose bytes did not match the upstream's declared sha256")
            .labelNames("index")
            .register(registry);
    stalePages =
        Counter.builder()
            .name("wheelhouse_proxy_stale_pages_total")
            .help("Project pages served from cache because upstream failed")
            .labelNames("index")
            .register(registry);
  }

  public void fileHit(String index) {
    files.labelValues(index, "hit").inc();
  }

  public void fileMiss(String index) {
    files.labelValues(index, "miss").inc();
  }

  public void bytesFetched(String index, long bytes) {
    bytesFetched.labelValues(index).inc(bytes);
  }

  public void upstreamError(String index, String kind) {
    upstreamErrors.labelValues(index, kind).inc();
  }

  public void upstreamLatency(String index, String kind, long nanos) {
    upstreamSeconds.labelValues(index, kind).observe(nanos / 1e9);
  }

  /** Requests that joined a download already in flight, counted by the fill coordinator. */
  public void registerCoalesced(LongSupplier joined) {
    CounterWithCallback.builder()
        .name("wheelhouse_proxy_coalesced_total")
        .help("File requests that joined an upstream download already in flight")
        .callback(cb -> cb.call((double) joined.getAsLong()))
        .register(registry);
  }

  public void hashMismatch(String index) {
    hashMismatches.labelValues(index).inc();
  }

  public void stalePage(String index) {
    stalePages.labelValues(index).inc();
  }
}
