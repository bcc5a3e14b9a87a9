package dev.wheelhouse.server.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers with a JSON document that describes the server's state now, so no cache keeps it. */
public final class JsonReplies {
  private JsonReplies() {}

  /** 200 with {@code json}, {@code Cache-Control: no-store}. */
  public static void current(RoutingContext ctx, JsonObject json) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(json.encodePrettily());
  }
}
