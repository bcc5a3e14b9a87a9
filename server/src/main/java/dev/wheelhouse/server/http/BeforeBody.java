package dev.wheelhouse.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Marks a cheap check (credentials, target index, metrics label) to run before a route's body
 * handler. Vert.x web orders body handlers ahead of ordinary ones; running these first means an
 * unauthenticated client cannot make the server read and store a large body.
 */
public final class BeforeBody implements PlatformHandler {
  private final Handler<RoutingContext> check;

  private BeforeBody(Handler<RoutingContext> check) {
    this.check = check;
  }

  public static BeforeBody of(Handler<RoutingContext> check) {
    return new BeforeBody(check);
  }

  @Override
  public void handle(RoutingContext ctx) {
    check.handle(ctx);
  }
}
