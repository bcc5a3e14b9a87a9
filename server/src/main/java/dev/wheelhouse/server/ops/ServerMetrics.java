package dev.wheelhouse.server.ops;

import dev.wheelhouse.storage.MetadataStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The server's Prometheus metrics, registered in one registry that {@code /metrics} exposes. */
public final class ServerMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Counter bytesServed;
  private final Counter uploads;

  public ServerMetrics(MetadataStore metadata) {
    requests =
        Counter.builder()
            .name("wheelhouse_http_requests_total")
            .help("HTTP requests by route, method and status")
            .labelNames("route", "method", "status")
            .register(registry);
    bytesServed =
        Counter.builder()
            .name("wheelhouse_http_response_bytes_total")
            .help("Bytes written in HTTP responses, by route")
            .labelNames("route")
            .register(registry);
    uploads =
        Counter.builder()
            .name("wheelhouse_uploads_total")
            .help("Upload attempts by index and result (stored, exists, rejected)")
            .labelNames("index", "result")
            .register(registry);
    GaugeWithCallback.builder()
        .name("wheelhouse_blobs")
        .help("Blobs in the content-addressed store")
        .callback(cb -> cb.call((double) metadata.blobTotals().count()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("wheelhouse_blob_bytes")
        .help("Bytes in the content-addressed store")
        .callback(cb -> cb.call((double) metadata.blobTotals().bytes()))
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void request(String route, String method, int status, long bytes) {
    requests.labelValues(route, method, Integer.toString(status)).inc();
    if (bytes > 0) {
      bytesServed.labelValues(route).inc(bytes);
    }
  }

  public void upload(String index, String result) {
    uploads.labelValues(index, result).inc();
  }
}
