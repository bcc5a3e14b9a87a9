package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.StoredBlob;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One fill being sent to one response: a small state machine confined to the request's event loop
 * (only {@link #wake} runs elsewhere). Reads go through {@link AsyncFile}, one chunk at a time and
 * only while the response's write queue has room, so memory per client stays at a chunk or two.
 */
final class FillTransfer {
  /** HTTP/2 RST_STREAM INTERNAL_ERROR; HTTP/1.x closes the connection whatever the code. */
  private static final long INTERNAL_ERROR = 2;

  // create=false: opening a temp file that was just renamed away must fail, not recreate it.
  private static final OpenOptions READ_ONLY =
      new OpenOptions().setRead(true).setWrite(false).setCreate(false);

  private final Vertx vertx;
  private final Context context;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final Fill fill;
  private final CompletableFuture<StoredBlob> done;
  private final long threshold;
  private final Promise<Void> result = Promise.promise();
  private final AtomicBoolean wakeQueued = new AtomicBoolean();
  private final Runnable listener = this::wake;

  private AsyncFile file;
  private long sent;
  private boolean opening;
  private boolean reading;
  private boolean over;

  FillTransfer(Vertx vertx, RoutingContext ctx, Fill fill, long threshold) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.ctx = ctx;
    this.response = ctx.response();
    this.fill = fill;
    this.done = fill.done();
    // At least one byte: the temp file exists only once the fill has written something.
    this.threshold = Math.max(1, threshold);
  }

  Future<Void> start() {
    int unused =
        ctx.addEndHandler(
            ended -> {
              if (ended.failed()) {
                clientGone(ended.cause());
              }
            });
    fill.onProgress(listener);
    if (response.closed()) {
      clientGone(new IOException("client went away before the response started"));
    } else {
      pump();
    }
    return result.future();
  }

  /**
   * Progress from the fill thread: at most one queued pump per client, however fast chunks come.
   */
  private void wake() {
    if (wakeQueued.compareAndSet(false, true)) {
      context.runOnContext(
          v -> {
            wakeQueued.set(false);
            pump();
          });
    }
  }

  /** Does the next step, if one can be done now; every event (progress, drain, I/O) calls it. */
  private void pump() {
    if (over || opening || reading) {
      return;
    }
    if (done.isCompletedExceptionally()) {
      abort(failureOf(done));
    } else if (file == null) {
      openWhenReady();
    } else {
      long limit = sendable();
      if (sent < limit) {
        if (response.writeQueueFull()) {
          response.drainHandler(v -> pump());
        } else {
          readChunk(limit);
        }
      } else if (done.isDone()) {
        succeed();
      }
    }
  }

  private void openWhenReady() {
    if (done.isDone()) {
      open(done.join().path(), true);
    } else if (fill.available() >= threshold) {
      open(fill.tempFile(), false);
    }
  }

  private void open(Path path, boolean committed) {
    opening = true;
    vertx
        .fileSystem()
        .open(path.toString(), READ_ONLY)
        .onComplete(
            opened -> {
              opening = false;
              if (over) {
                if (opened.succeeded()) {
                  opened.result().close();
                }
              } else if (opened.succeeded()) {
                file = opened.result();
                announceLength();
                pump();
              } else if (committed) {
                abort(opened.cause());
              } else {
                // The fill committed (renamed the file) or failed (deleted it) in between: go on
                // from its outcome.
                var unused = done.whenComplete((blob, failure) -> wake());
              }
            });
  }

  private void announceLength() {
    OptionalLong size = done.isDone() ? OptionalLong.of(done.join().size()) : fill.expectedSize();
    if (size.isPresent()) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size.getAsLong()));
    } else {
      response.setChunked(true);
    }
  }

  /**
   * How far the response may go now. Until the fill has committed, the end is held back: with a
   * Content-Length, the last byte; without, the last chunk. So no client can take an unverified
   * body for a complete one.
   */
  private long sendable() {
    if (done.isDone()) {
      return done.join().size();
    }
    long available = fill.available();
    OptionalLong size = fill.expectedSize();
    long limit =
        size.isPresent() ? Math.min(available, size.getAsLong() - 1) : available - Fill.CHUNK_SIZE;
    return Math.max(limit, 0);
  }

  private void readChunk(long limit) {
    int length = (int) Math.min(Fill.CHUNK_SIZE, limit - sent);
    reading = true;
    file.read(Buffer.buffer(length), 0, sent, length)
        .onComplete(
            read -> {
              reading = false;
              if (over) {
                return;
              }
              if (read.failed()) {
                abort(read.cause());
              } else if (read.result().length() == 0) {
                abort(new IOException("file ended at " + sent + " of " + limit + " bytes"));
              } else {
                sent += read.result().length();
                response.write(read.result());
                pump();
              }
            });
  }

  private void succeed() {
    over = true;
    // End once the file is closed: when the client has it all, nothing is left open.
    release()
        .transform(closed -> response.end())
        .onComplete(
            ended -> {
              if (ended.succeeded()) {
                result.tryComplete();
              } else {
                result.tryFail(ended.cause());
              }
            });
  }

  private void abort(Throwable cause) {
    if (over) {
      return;
    }
    over = true;
    release();
    if (response.headWritten()) {
      response.reset(INTERNAL_ERROR);
    } else {
      // Nothing sent yet: take back what this class set, so the caller can answer 502 instead.
      response.headers().remove(HttpHeaders.CONTENT_LENGTH);
      response.setChunked(false);
    }
    result.tryFail(cause);
  }

  private void clientGone(Throwable cause) {
    if (over) {
      return;
    }
    over = true;
    release();
    result.tryFail(cause);
  }

  /** Stops following the fill; the fill itself goes on for the other clients and the store. */
  private Future<Void> release() {
    fill.removeProgressListener(listener);
    if (file == null) {
      return Future.succeededFuture();
    }
    Future<Void> closed = file.close();
    file = null;
    return closed;
  }

  private static Throwable failureOf(CompletableFuture<?> failed) {
    try {
      failed.join();
      return new IllegalStateException("fill did not fail");
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (CancellationException e) {
      return e;
    }
  }
}
