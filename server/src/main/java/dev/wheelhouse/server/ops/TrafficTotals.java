package dev.wheelhouse.server.ops;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Optional;
import java.util.Set;

/**
 * What the caches saved, read from the counters /metrics already keeps: bytes sent to clients,
 * bytes fetched upstream, hits and misses. Counts since the server started.
 */
public final class TrafficTotals {
  private static final Set<String> FILE_ROUTES =
      Set.of("/files", "/apt", "/apt (host)", "/apt (proxy)");

  private final PrometheusRegistry registry;

  public TrafficTotals(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** A snapshot of the totals. */
  public Totals now() {
    long served = 0;
    long fetched = 0;
    long hits = 0;
    long misses = 0;
    for (MetricSnapshot metric : registry.scrape()) {
      if (!(metric instanceof CounterSnapshot counter)) {
        continue;
      }
      String name = counter.getMetadata().getName();
      for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
        long value = (long) point.getValue();
        switch (name) {
          case "wheelhouse_http_response_bytes" -> {
            if (FILE_ROUTES.contains(point.getLabels().get("route"))) {
              served += value;
            }
          }
          case "wheelhouse_proxy_upstream_bytes", "wheelhouse_apt_upstream_bytes" ->
              fetched += value;
          case "wheelhouse_proxy_files", "wheelhouse_apt_requests" -> {
            String result = point.getLabels().get("result");
            if ("hit".equals(result)) {
              hits += value;
            } else if ("miss".equals(result)) {
              misses += value;
            }
          }
          default -> {
            // not a traffic counter
          }
        }
      }
    }
    return new Totals(served, fetched, hits, misses);
  }

  /**
   * Traffic since start.
   *
   * @param servedBytes file bytes sent to clients
   * @param fetchedBytes bytes downloaded from upstreams
   * @param hits cached files served from the store
   * @param misses files that had to be fetched
   */
  public record Totals(long servedBytes, long fetchedBytes, long hits, long misses) {
    /** Hits among cache lookups, when there were any. */
    public Optional<Double> hitRatio() {
      long lookups = hits + misses;
      return lookups == 0 ? Optional.empty() : Optional.of((double) hits / lookups);
    }
  }
}
