package dev.wheelhouse.server.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/** {@code /metrics} (Prometheus text format), {@code /healthz} (liveness), {@code /readyz}. */
public final class OpsRoutes {
  private final ServerMetrics metrics;
  private final BooleanSupplier ready;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public OpsRoutes(ServerMetrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  public void register(Router router) {
    router.get("/metrics").handler(RequestMetrics.label("/metrics")).handler(this::metrics);
    router.get("/healthz").handler(RequestMetrics.label("/healthz")).handler(this::healthz);
    router.get("/readyz").handler(RequestMetrics.label("/readyz")).handler(this::readyz);
  }

  private void metrics(RoutingContext ctx) {
    // Scraping reads in-memory counters and gauges only, so it is safe on the event loop.
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, metrics.registry().scrape());
    } catch (IOException e) {
      ctx.fail(e);
      return;
    }
    ctx.response()
        .putHeader("Content-Type", writer.getContentType())
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(out.toByteArray()));
  }

  private void healthz(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok\n");
  }

  private void readyz(RoutingContext ctx) {
    boolean isReady = ready.getAsBoolean();
    ctx.response()
        .setStatusCode(isReady ? 200 : 503)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(isReady ? "ready\n" : "shutting down\n");
  }
}
