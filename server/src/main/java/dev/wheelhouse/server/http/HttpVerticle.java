package dev.wheelhouse.server.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server on one event loop. Deployed once per core on the same port: Vert.x shares the
 * listening socket between the instances, so connections spread over all event loops.
 */
public final class HttpVerticle extends VerticleBase {
  /** The largest form field (not file part) a request may carry, in bytes. */
  public static final int MAX_FORM_FIELD = 1 << 20;

  private final Handler<HttpServerRequest> router;
  private final String host;
  private final int port;
  private final Duration shutdownGrace;
  private HttpServer server;

  public HttpVerticle(
      Handler<HttpServerRequest> router, String host, int port, Duration shutdownGrace) {
    this.router = router;
    this.host = host;
    this.port = port;
    this.shutdownGrace = shutdownGrace;
  }

  @Override
  public Future<?> start() {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    // Upload form fields outgrow the 8 KiB default: twine's description (a README),
                    // the builder's provenance (up to 64 KiB). File parts are streamed to disk.
                    .setMaxFormAttributeSize(MAX_FORM_FIELD)
                    .setCompressionSupported(false)
                    .setTcpNoDelay(true)
                    .setIdleTimeout(300)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS))
            .requestHandler(router);
    return server.listen(port, host);
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, let in-flight requests finish within the grace period.
    return server.shutdown(shutdownGrace);
  }

  /** The port this instance is bound to (the chosen one when it was asked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
