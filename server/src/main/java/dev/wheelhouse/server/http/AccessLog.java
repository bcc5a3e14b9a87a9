package dev.wheelhouse.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request on the {@code access} logger: client, method, URI, status, bytes, time. */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  private final Clock clock;

  public AccessLog(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = clock.millis();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(
        done -> {
          if (!ACCESS.isInfoEnabled()) {
            return;
          }
          String agent = request.getHeader("User-Agent");
          ACCESS.info(
              "{} \"{} {} {}\" {} {} {}ms \"{}\"",
              request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress(),
              request.method(),
              request.uri(),
              protocol(request),
              ctx.response().getStatusCode(),
              ctx.response().bytesWritten(),
              clock.millis() - started,
              agent == null ? "-" : agent);
        });
    ctx.next();
  }

  private static String protocol(HttpServerRequest request) {
    return switch (request.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
      default -> request.version().alpnName();
    };
  }
}
