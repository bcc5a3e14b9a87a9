package dev.wheelhouse.server.files;

import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.proxy.ProxyFiles;
import dev.wheelhouse.server.proxy.ProxyMetrics;
import dev.wheelhouse.server.proxy.fill.FillResponder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|HEAD /files/<index>/<project>/<filename>}: immutable bytes sent with zero-copy
 * sendFile, with ETag, conditional requests and single byte ranges.
 */
public final class FileRoutes {
  private final FileLocator locator;
  private final Map<String, ProxyFiles> proxies;
  private final FileResponses responses;
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
    this.responses = new FileResponses(fillResponder);
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
    responses.sendFilling(ctx, filling, FileResponses.IMMUTABLE, Instant.now());
  }

  private static void send(RoutingContext ctx, ServedFile file) {
    FileResponses.sendStored(ctx, file, FileResponses.IMMUTABLE);
  }
}
