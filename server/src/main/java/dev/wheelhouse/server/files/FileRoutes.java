package dev.wheelhouse.server.files;

import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.lifecycle.AccessRecorder;
import dev.wheelhouse.server.lifecycle.BlobLeases;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.proxy.ProxyFiles;
import dev.wheelhouse.server.proxy.ProxyMetrics;
import dev.wheelhouse.server.proxy.fill.FillResponder;
import dev.wheelhouse.storage.EntryRef;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|HEAD /files/<index>/<project>/<filename>}: immutable bytes sent with zero-copy
 * sendFile, with ETag, conditional requests and single byte ranges. {@value #CACHE_STATE} says
 * whether the bytes were already stored ({@code hit}) or this request started or joined an upstream
 * download ({@code miss}).
 */
public final class FileRoutes {
  /** The response header telling a stored file from one fetched for this request. */
  public static final String CACHE_STATE = "X-Wheelhouse-Cache";

  private final FileLocator locator;
  private final Map<String, ProxyFiles> proxies;
  private final FileResponses responses;
  private final ProxyMetrics proxyMetrics;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final BlobLeases leases;
  private final AccessRecorder accesses;
  private final FileDownloads downloads;

  public FileRoutes(
      FileLocator locator,
      Map<String, ProxyFiles> proxies,
      FillResponder fillResponder,
      ProxyMetrics proxyMetrics,
      BlockingExecutor blocking,
      Authenticator auth,
      BlobLeases leases,
      AccessRecorder accesses,
      FileDownloads downloads) {
    this.locator = locator;
    this.proxies = Map.copyOf(proxies);
    this.responses = new FileResponses(fillResponder);
    this.proxyMetrics = proxyMetrics;
    this.blocking = blocking;
    this.auth = auth;
    this.leases = leases;
    this.accesses = accesses;
    this.downloads = downloads;
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
    tellDownloads(ctx, index, project, filename);
    Optional<ServedFile> cached = locator.cached(index, project, filename);
    if (cached.isEmpty()) {
      lookUp(ctx, index, project, filename);
      return;
    }
    countHit(index);
    send(ctx, cached.get(), index, project, filename)
        .onFailure(
            failure -> {
              // Pruned between the lookup and the send: resolve again (a proxy fetches it anew).
              if (!ctx.response().headWritten() && FileResponses.vanished(failure)) {
                locator.forget(index, project, filename);
                lookUp(ctx, index, project, filename);
              } else {
                ctx.fail(failure);
              }
            });
  }

  private void lookUp(RoutingContext ctx, String index, String project, String filename) {
    lookUp(ctx, index, project, filename, true);
  }

  /** {@code mayRetry}: once, a file pruned between lookup and sending is looked up again. */
  private void lookUp(
      RoutingContext ctx, String index, String project, String filename, boolean mayRetry) {
    Runnable again = () -> lookUp(ctx, index, project, filename, false);
    blocking
        .run(() -> source(index, project, filename))
        .onSuccess(
            source -> {
              if (source instanceof FileSource.Stored stored) {
                countHit(index);
                send(ctx, stored.file(), index, project, filename)
                    .onFailure(
                        failure -> {
                          if (mayRetry
                              && !ctx.response().headWritten()
                              && FileResponses.vanished(failure)) {
                            locator.forget(index, project, filename);
                            again.run();
                          } else {
                            ctx.fail(failure);
                          }
                        });
              } else if (source instanceof FileSource.Filling filling) {
                ctx.response().putHeader(CACHE_STATE, "miss");
                responses.sendFilling(
                    ctx,
                    filling,
                    FileResponses.IMMUTABLE,
                    Instant.now(),
                    mayRetry ? Optional.of(again) : Optional.empty());
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * Sends a stored file, holding a lease on its blob until the response ends (so pruning leaves it
   * alone) and counting the download for LRU accounting.
   */
  private Future<Void> send(
      RoutingContext ctx, ServedFile file, String index, String project, String filename) {
    ctx.response().putHeader(CACHE_STATE, "hit");
    BlobLeases.Lease lease = leases.acquire(file.sha256());
    int unused =
        ctx.addEndHandler(
            ended -> {
              lease.close();
              // Whether the client read it all is not known here (HTTP/2 ends streams its own
              // way): a GET answered with the file counts as an access.
              if (HttpMethod.GET.equals(ctx.request().method())
                  && ctx.response().getStatusCode() < 400
                  && !filename.endsWith(".metadata")) {
                accesses.accessed(new EntryRef.IndexFile(index, project, filename));
              }
            });
    return FileResponses.sendStored(ctx, file, FileResponses.IMMUTABLE);
  }

  /** Once a GET is answered with the file, tells who watches which client downloaded it. */
  private void tellDownloads(RoutingContext ctx, String index, String project, String filename) {
    if (!HttpMethod.GET.equals(ctx.request().method())) {
      return;
    }
    String userAgent = ctx.request().getHeader("User-Agent");
    int unused =
        ctx.addEndHandler(
            ended -> {
              // As for accesses: whether the client read it all is not known here.
              if (ctx.response().getStatusCode() < 400) {
                downloads.fileServed(index, project, filename, userAgent);
              }
            });
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
}
