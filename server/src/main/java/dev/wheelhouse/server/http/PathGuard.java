package dev.wheelhouse.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses request paths with dot-segments ({@code ..}, {@code %2e%2e}), NUL or backslashes before
 * routing. The router would resolve them away, but a client sending them is probing, and a clear
 * 400 says so instead of quietly serving whatever the path collapses to.
 */
public final class PathGuard implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null || !path.startsWith("/")) {
      // Absolute-form and asterisk-form targets have no place here.
      throw HttpProblem.badRequest("request target must be an absolute path");
    }
    for (String segment : path.split("/", -1)) {
      String decoded = PathSegments.decode(segment);
      if (decoded.equals(".") || decoded.equals("..")) {
        throw HttpProblem.badRequest("path must not contain dot-segments");
      }
      if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
        throw HttpProblem.badRequest("path must not contain NUL or backslash");
      }
    }
    ctx.next();
  }
}
