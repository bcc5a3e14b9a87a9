package dev.wheelhouse.server.admin;

import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a long admin job (prune, gc, verify) on a worker and streams its progress to the client as
 * newline-delimited JSON: {@code {"type":"progress",...}} lines, then one {@code
 * {"type":"result","report":...}} or {@code {"type":"error","message":...}}. Nothing is sent before
 * the first line, so a job refused at once (another one runs) still gets a plain 409.
 */
final class NdjsonJob {
  private static final Logger LOG = LoggerFactory.getLogger(NdjsonJob.class);
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  /** The job: reports progress through the listener, returns the report. Blocking. */
  interface Work {
    JsonObject run(Progress progress) throws Exception;
  }

  /** Progress of a phase: {@code total} -1 when unknown. */
  interface Progress {
    void report(String phase, long done, long total);
  }

  private NdjsonJob() {}

  static void run(RoutingContext ctx, BlockingExecutor blocking, Work work) {
    Vertx vertx = ctx.vertx();
    Context context = vertx.getOrCreateContext();
    HttpServerResponse response = ctx.response();
    AtomicLong lastProgress = new AtomicLong();
    Progress progress =
        (phase, done, total) -> {
          long now = System.nanoTime();
          long last = lastProgress.get();
          // A line now and then is enough for a progress bar, whatever the number of entries.
          if (now - last < PROGRESS_EVERY_NANOS || !lastProgress.compareAndSet(last, now)) {
            return;
          }
          JsonObject line =
              new JsonObject()
                  .put("type", "progress")
                  .put("phase", phase)
                  .put("done", done)
                  .put("total", total);
          context.runOnContext(v -> writeLine(response, line));
        };
    blocking
        .run(() -> work.run(progress))
        .onComplete(
            done -> {
              if (response.closed()) {
                return;
              }
              if (done.succeeded()) {
                writeLine(
                    response, new JsonObject().put("type", "result").put("report", done.result()));
                response.end();
                return;
              }
              Throwable failure = done.cause();
              if (!response.headWritten()) {
                ctx.fail(
                    failure instanceof IllegalStateException busy
                        ? new HttpProblem(409, busy.getMessage())
                        : failure);
                return;
              }
              LOG.warn("admin job failed", failure);
              writeLine(
                  response,
                  new JsonObject()
                      .put("type", "error")
                      .put("message", String.valueOf(failure.getMessage())));
              response.end();
            });
  }

  private static void writeLine(HttpServerResponse response, JsonObject line) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (!response.headWritten()) {
      response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
    }
    response.write(line.encode() + "\n");
  }
}
