package dev.wheelhouse.server.http;

import dev.wheelhouse.packaging.PackagingException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Router failure handler: every error becomes a plain-text response with a status and a one-line
 * reason. Bad input is a 4xx; only a bug or an I/O failure is a 500, and it is logged.
 */
public final class FailureResponder implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureResponder.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String reason;
    HttpServerResponse response = ctx.response();
    if (failure instanceof HttpProblem problem) {
      status = problem.status();
      reason = problem.reason();
      problem.headers().forEach(response::putHeader);
    } else if (failure instanceof PackagingException bad) {
      status = 400;
      reason = bad.getMessage();
    } else if (failure == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      reason = defaultReason(status);
    } else {
      status = 500;
      reason = "internal error: " + failure.getClass().getSimpleName();
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), failure);
    }
    if (response.headWritten()) {
      // Too late for a status: cut the connection so the client sees a truncated transfer.
      ctx.request().connection().close();
      return;
    }
    respond(response, status, reason);
  }

  /** Ends the response with a status and a plain-text reason. */
  public static void respond(HttpServerResponse response, int status, String reason) {
    // A file response that failed before sending keeps none of the file's headers.
    response
        .headers()
        .remove("ETag")
        .remove("Last-Modified")
        .remove("Accept-Ranges")
        .remove("Content-Range")
        .remove("Content-Length");
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(reason + "\n");
  }

  private static String defaultReason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      case 415 -> "unsupported media type";
      default -> "HTTP " + status;
    };
  }
}
