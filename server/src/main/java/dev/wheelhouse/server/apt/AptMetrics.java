package dev.wheelhouse.server.apt;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Metrics of the apt cache, by mirror. */
public final class AptMetrics {
  private final Counter requests;
  private final Counter bytesServed;
  private final Counter bytesFetched;
  private final Counter verificationFailures;
  private final Counter upstreamErrors;
  private final Counter refused;
  private final Counter poolDownloads;

  public AptMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("wheelhouse_apt_requests_total")
            .help(
                "apt file requests by mirror and result (hit: from the store; miss: fetched;"
                    + " revalidated: index confirmed or replaced upstream; stale: upstream failed,"
                    + " cached copy served; absent: 404)")
            .labelNames("mirror", "result")
            .register(registry);
    bytesServed =
        Counter.builder()
            .name("wheelhouse_apt_served_bytes_total")
            .help("Bytes of apt files sent to clients, by mirror")
            .labelNames("mirror")
            .register(registry);
    bytesFetched =
        Counter.builder()
            .name("wheelhouse_apt_upstream_bytes_total")
            .help("Bytes of apt files downloaded from upstream into the store, by mirror")
            .labelNames("mirror")
            .register(registry);
    verificationFailures =
        Counter.builder()
            .name("wheelhouse_apt_verification_failures_total")
            .help(
                "Upstream apt files whose bytes did not match the digest or size their index or"
                    + " by-hash name gives; never stored nor served")
            .labelNames("mirror")
            .register(registry);
    upstreamErrors =
        Counter.builder()
            .name("wheelhouse_apt_upstream_errors_total")
            .help("Failed upstream apt requests (connection errors and error statuses), by mirror")
            .labelNames("mirror")
            .register(registry);
    refused =
        Counter.builder()
            .name("wheelhouse_apt_refused_total")
            .help("Requests refused because they name a host or path of no configured mirror")
            .register(registry);
    poolDownloads =
        Counter.builder()
            .name("wheelhouse_apt_pool_downloads_total")
            .help(
                "Pool file downloads by mirror and check (index: verified against the SHA256 of a"
                    + " Packages or Sources index that passed through; none: no index gave one)")
            .labelNames("mirror", "check")
            .register(registry);
  }

  /**
   * A pool file (.deb, source) download started; {@code checked} when an index that passed through
   * gave its digest, so the download is verified.
   */
  public void poolDownload(String mirror, boolean checked) {
    poolDownloads.labelValues(mirror, checked ? "index" : "none").inc();
  }

  public void request(String mirror, String result) {
    requests.labelValues(mirror, result).inc();
  }

  public void served(String mirror, long bytes) {
    bytesServed.labelValues(mirror).inc(bytes);
  }

  public void fetched(String mirror, long bytes) {
    bytesFetched.labelValues(mirror).inc(bytes);
  }

  public void verificationFailure(String mirror) {
    verificationFailures.labelValues(mirror).inc();
  }

  public void upstreamError(String mirror) {
    upstreamErrors.labelValues(mirror).inc();
  }

  public void refused() {
    refused.inc();
  }
}
