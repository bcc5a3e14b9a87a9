package dev.wheelhouse.server.files;

import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.EntityTags;
import dev.wheelhouse.server.http.FailureResponder;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.proxy.ProxyFiles;
import dev.wheelhouse.server.proxy.ProxyMetrics;
import dev.wheelhouse.server.proxy.fill.FillResponder;
import dev.wheelhouse.storage.DigestMismatchException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|HEAD /files/<index>/<project>/<filename>}: immutable bytes sent with zero-copy
 * sendFile, with ETag, conditional requests and single byte ranges.
 */
public final class FileRoutes {
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final FileLocator locator;
  private final Map<String, ProxyFiles> proxies;
  private final FillResponder fillResponder;
  private final ProxyMetrics proxyMetrics;
  private final BlockingExecutor blocking;
  private final Authenticator auth;

  public FileRoutes(
      FileLocator locator,
      Map<String, ProxyFiles> proxies,
      FillResponder fillResponder,
      ProxyMetrics proxyMetrics,
      BlockingExecutor blocking,
      Authenticator auth) {
    this.locator = locator;
    this.proxies = Map.copyOf(proxies);
    this.fillResponder = fillResponder;
    this.proxyMetrics = proxyMetrics;
    this.blocking = blocking;
    this.auth = auth;
  }

  public void register(Router router) {
    router
        .routeWithRegex("/files/([^/]+)/([^/]+)/([^/]+)")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/files"))
        .handler(auth.requireRead())
        .handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    // Decode from the raw path so that %2B and + both mean a plus, never a space.
    String index = PathSegments.decode(ctx.pathParam("param0"));
    String project = PathSegments.decode(ctx.pathParam("param1"));
    String filename = PathSegments.decode(ctx.pathParam("param2"));
    Optional<ServedFile> cached = locator.cached(index, project, filename);
    if (cached.isPresent()) {
      countHit(index);
      send(ctx, cached.get());
      return;
    }
    blocking
        .run(() -> source(index, project, filename))
        .onSuccess(
            source -> {
              if (source instanceof FileSource.Stored stored) {
                countHit(index);
                send(ctx, stored.file());
              } else if (source instanceof FileSource.Filling filling) {
                sendFilling(ctx, filling);
              }
            })
        .onFailure(ctx::fail);
  }

  /** Blocking: the store's blob, a proxy's download, or a 404. */
  private FileSource source(String index, String project, String filename) throws Exception {
    FileRequest request = locator.parse(index, project, filename);
    Optional<ServedFile> stored = locator.stored(request);
    if (stored.isPresent()) {
      return new FileSource.Stored(stored.get());
    }
    ProxyFiles proxy = proxies.get(index);
    if (proxy == null) {
      throw HttpProblem.notFound("no such file: " + request.requestedName());
    }
    return proxy.source(request);
  }

  private void countHit(String index) {
    if (proxies.containsKey(index)) {
      proxyMetrics.fileHit(index);
    }
  }

  /** A file still downloading: streamed as it arrives; a failure before any byte is a 502. */
  private void sendFilling(RoutingContext ctx, FileSource.Filling filling) {
    if (HttpMethod.HEAD.equals(ctx.request().method())) {
      // No body to stream: answer once the file is stored, with its real length and tag.
      Future.fromCompletionStage(filling.fill().done(), ctx.vertx().getOrCreateContext())
          .onSuccess(
              blob ->
                  send(
                      ctx,
                      new ServedFile(
                          blob.path(),
                          blob.size(),
                          "\"" + blob.sha256().hex() + "\"",
                          Instant.now(),
                          filling.contentType())))
          .onFailure(failure -> FailureResponder.respond(ctx.response(), 502, reason(failure)));
      return;
    }
    HttpServerResponse response =
        ctx.response()
            .putHeader("Content-Type", filling.contentType())
            .putHeader("Cache-Control", IMMUTABLE);
    filling.etag().ifPresent(etag -> response.putHeader("ETag", "\"" + etag + "\""));
    fillResponder
        .send(ctx, filling.fill())
        .onFailure(
            failure -> {
              if (!response.headWritten() && !response.closed()) {
                response.headers().remove("ETag").remove("Cache-Control");
                FailureResponder.respond(response, 502, reason(failure));
              }
            });
  }

  private static String reason(Throwable failure) {
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

  private static void send(RoutingContext ctx, ServedFile file) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response =
        ctx.response()
            .putHeader("Accept-Ranges", "bytes")
            .putHeader("ETag", file.etag())
            .putHeader("Last-Modified", httpDate(file))
            .putHeader("Cache-Control", IMMUTABLE)
            .putHeader("Content-Type", file.contentType());
    if (EntityTags.noneMatchHits(request.getHeader("If-None-Match"), file.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    ByteRange.Parsed range =
        rangeApplies(request.getHeader("If-Range"), file)
            ? ByteRange.parse(request.getHeader("Range"), file.size())
            : new ByteRange.Whole();
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (range instanceof ByteRange.Unsatisfiable) {
      response
          .setStatusCode(416)
          .putHeader("Content-Range", "bytes */" + file.size())
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("range not satisfiable for a file of " + file.size() + " bytes\n");
      return;
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
    if (head) {
      response.end();
      return;
    }
    response.sendFile(file.path().toString(), offset, length).onFailure(ctx::fail);
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
    return value.equals(httpDate(file));
  }

  private static String httpDate(ServedFile file) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        file.lastModified().atOffset(ZoneOffset.UTC).withNano(0));
  }
}
