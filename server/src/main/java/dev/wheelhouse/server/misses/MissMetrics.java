package dev.wheelhouse.server.misses;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counts clients that found no wheel for their platform. */
public final class MissMetrics {
  private final Counter misses;

  public MissMetrics(PrometheusRegistry registry) {
    misses =
        Counter.builder()
            .name("wheelhouse_platform_misses_total")
            .help(
                "pip and uv clients that found no wheel for their platform (a project page without"
                    + " one, or an sdist download), by container platform")
            .labelNames("platform")
            .register(registry);
  }

  void miss(String platform) {
    misses.labelValues(platform).inc();
  }
}
