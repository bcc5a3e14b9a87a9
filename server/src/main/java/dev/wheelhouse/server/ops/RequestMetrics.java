package dev.wheelhouse.server.ops;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts every request once it ends. The route label is the pattern a route declared with {@link
 * #label}, so that metric cardinality stays bounded whatever the URLs.
 */
public final class RequestMetrics implements Handler<RoutingContext> {
  private static final String ROUTE_KEY = "wheelhouse.route";

  private final ServerMetrics metrics;

  public RequestMetrics(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** A handler that names the route of the request for metrics, then passes it on. */
  public static Handler<RoutingContext> label(String route) {
    return ctx -> {
      ctx.put(ROUTE_KEY, route);
      ctx.next();
    };
  }

  /** Names the route of a request handled outside a labelled route (e.g. proxy requests). */
  public static void name(RoutingContext ctx, String route) {
    ctx.put(ROUTE_KEY, route);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.addEndHandler(
        done -> {
          String route = ctx.get(ROUTE_KEY, "other");
          metrics.request(
              route,
              ctx.request().method().name(),
              ctx.response().getStatusCode(),
              ctx.response().bytesWritten());
        });
    ctx.next();
  }
}
