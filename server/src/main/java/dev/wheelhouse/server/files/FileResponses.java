package dev.wheelhouse.server.files;

import dev.wheelhouse.server.http.EntityTags;
import dev.wheelhouse.server.http.FailureResponder;
import dev.wheelhouse.server.proxy.fill.FillResponder;
import dev.wheelhouse.storage.DigestMismatchException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Sends file bytes the way package clients expect, whoever owns the file (a wheel index, an apt
 * mirror): conditional requests (If-None-Match, If-Modified-Since), single byte ranges with
 * If-Range, zero-copy sendFile for stored blobs and a streaming tee for downloads in flight.
 */
public final class FileResponses {
  /** For content-addressed or otherwise never-changing files. */
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final FillResponder fillResponder;

  public FileResponses(FillResponder fillResponder) {
    this.fillResponder = fillResponder;
  }

  /**
   * Sends a stored file (GET or HEAD) with {@code cacheControl}. Call on the event loop.
   *
   * @return fails if the file could not be sent (e.g. it vanished); the response then may or may
   *     not have started: check {@code headWritten()}
   */
  public static Future<Void> sendStored(RoutingContext ctx, ServedFile file, String cacheControl) {
    HttpServerRequest request = ctx.request();
    String lastModified = httpDate(file.lastModified());
    HttpServerResponse response =
        ctx.response()
            .putHeader("Accept-Ranges", "bytes")
            .putHeader("ETag", file.etag())
            .putHeader("Last-Modified", lastModified)
            .putHeader("Cache-Control", cacheControl)
            .putHeader("Content-Type", file.contentType());
    if (notModified(request, file)) {
      return response.setStatusCode(304).end();
    }
    ByteRange.Parsed range =
        rangeApplies(request.getHeader("If-Range"), file)
            ? ByteRange.parse(request.getHeader("Range"), file.size())
            : new ByteRange.Whole();
    if (range instanceof ByteRange.Unsatisfiable) {
      return response
          .setStatusCode(416)
          .putHeader("Content-Range", "bytes */" + file.size())
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("range not satisfiable for a file of " + file.size() + " bytes\n");
    }
    long offset = 0;
    long length = file.size();
    if (range instanceof ByteRange.Partial partial) {
      offset = partial.range().start();
      length = partial.range().length();
      response
          .setStatusCode(206)
          .putHeader("Content-Range", partial.range().contentRange(file.size()));
    }
    response.putHeader("Content-Length", Long.toString(length));
    if (HttpMethod.HEAD.equals(request.method())) {
      return response.end();
    }
    return response.sendFile(file.path().toString(), offset, length);
  }

  /**
   * Sends a file still downloading: streamed as it arrives (a Range asks too much of bytes not yet
   * here, so the whole file is sent, which HTTP allows); a failure before any byte is a 502 with
   * the reason. HEAD waits for the stored file. Call on the event loop.
   */
  public void sendFilling(
      RoutingContext ctx, FileSource.Filling filling, String cacheControl, Instant lastModified) {
    sendFilling(ctx, filling, cacheControl, lastModified, Optional.empty());
  }

  /**
   * As above; {@code onVanished} runs instead of a 502 when the downloaded file was removed
   * (pruned) between its download and its sending, and nothing was sent yet: the caller looks it up
   * again.
   */
  public void sendFilling(
      RoutingContext ctx,
      FileSource.Filling filling,
      String cacheControl,
      Instant lastModified,
      Optional<Runnable> onVanished) {
    if (HttpMethod.HEAD.equals(ctx.request().method())) {
      Future.fromCompletionStage(filling.fill().done(), ctx.vertx().getOrCreateContext())
          .onSuccess(
              blob ->
                  sendStoredOrFail(
                      ctx,
                      new ServedFile(
                          blob.path(),
                          blob.size(),
                          blob.sha256(),
                          lastModified,
                          filling.contentType()),
                      cacheControl))
          .onFailure(failure -> FailureResponder.respond(ctx.response(), 502, reason(failure)));
      return;
    }
    HttpServerResponse response =
        ctx.response()
            .putHeader("Content-Type", filling.contentType())
            .putHeader("Cache-Control", cacheControl)
            .putHeader("Last-Modified", httpDate(lastModified));
    filling.etag().ifPresent(etag -> response.putHeader("ETag", "\"" + etag + "\""));
    fillResponder
        .send(ctx, filling.fill())
        .onFailure(
            failure -> {
              if (!response.headWritten() && !response.closed()) {
                response.headers().remove("ETag").remove("Cache-Control").remove("Last-Modified");
                if (onVanished.isPresent() && vanished(failure)) {
                  onVanished.get().run();
                } else {
                  FailureResponder.respond(response, 502, reason(failure));
                }
              }
            });
  }

  private static void sendStoredOrFail(RoutingContext ctx, ServedFile file, String cacheControl) {
    sendStored(ctx, file, cacheControl).onFailure(ctx::fail);
  }

  /** Whether a send failed because the stored file is gone (pruned meanwhile). */
  public static boolean vanished(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.NoSuchFileException
          || t instanceof java.io.FileNotFoundException
          || (t.getMessage() != null && t.getMessage().startsWith("Unable to open file"))) {
        return true;
      }
    }
    return false;
  }

  /** Why a download failed, for the 502 body. */
  public static String reason(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
            ? c.getCause()
            : failure;
    if (cause instanceof DigestMismatchException mismatch) {
      return "upstream bytes do not match the sha256 its index declares (expected "
          + mismatch.expected().hex()
          + ", got "
          + mismatch.actual().hex()
          + "); nothing was stored";
    }
    return "upstream download failed: " + cause.getMessage();
  }

  /**
   * RFC 9110 §13.1.3: If-Modified-Since counts only without If-None-Match, and dates compare in
   * whole seconds, as Last-Modified carries them.
   */
  private static boolean notModified(HttpServerRequest request, ServedFile file) {
    String noneMatch = request.getHeader("If-None-Match");
    if (noneMatch != null) {
      return EntityTags.noneMatchHits(noneMatch, file.etag());
    }
    String since = request.getHeader("If-Modified-Since");
    if (since == null) {
      return false;
    }
    try {
      Instant date = DateTimeFormatter.RFC_1123_DATE_TIME.parse(since.trim(), Instant::from);
      return !file.lastModified().truncatedTo(ChronoUnit.SECONDS).isAfter(date);
    } catch (DateTimeParseException e) {
      return false; // an unreadable date is ignored, as the RFC says
    }
  }

  /** If-Range: ranges apply only when the validator still names this exact representation. */
  private static boolean rangeApplies(String ifRange, ServedFile file) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"")) {
      return value.equals(file.etag());
    }
    return value.equals(httpDate(file.lastModified()));
  }

  /** An HTTP date (RFC 1123, GMT, whole seconds). */
  public static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        instant.atOffset(ZoneOffset.UTC).withNano(0));
  }
}
