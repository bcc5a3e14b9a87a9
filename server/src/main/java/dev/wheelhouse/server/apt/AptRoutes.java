package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.files.FileResponses;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.FailureResponder;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.lifecycle.AccessRecorder;
import dev.wheelhouse.server.lifecycle.BlobLeases;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.storage.EntryRef;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The three ways apt reaches the cache, all mapped to the same entries:
 *
 * <ul>
 *   <li>{@code /apt/<mirror>/<path>}, for sources.list entries pointing at this server;
 *   <li>{@code /<upstream-host>/<path>}, apt-cacher-ng style;
 *   <li>forward-proxy requests ({@code Acquire::http::Proxy}) with an absolute URL.
 * </ul>
 *
 * The last two are served only for the hosts and paths of configured mirrors, never as an open
 * proxy.
 */
public final class AptRoutes {
  // A first path segment naming a host: it has a dot or a port, which no route of ours has.
  private static final Pattern HOST_STYLE = Pattern.compile("/([^/]*[.:][^/]*)/(.*)");

  private final AptMirrors mirrors;
  private final AptService service;
  private final FileResponses responses;
  private final AptMetrics metrics;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final BlobLeases leases;
  private final AccessRecorder accesses;

  public AptRoutes(
      AptMirrors mirrors,
      AptService service,
      FileResponses responses,
      AptMetrics metrics,
      BlockingExecutor blocking,
      Authenticator auth,
      BlobLeases leases,
      AccessRecorder accesses) {
    this.mirrors = mirrors;
    this.service = service;
    this.responses = responses;
    this.metrics = metrics;
    this.blocking = blocking;
    this.auth = auth;
    this.leases = leases;
    this.accesses = accesses;
  }

  /**
   * Handles forward-proxy requests (absolute-form targets, CONNECT) and passes every other request
   * on. Install it before anything that expects an origin-form path.
   */
  public Handler<RoutingContext> forwardProxy() {
    return ctx -> {
      String target = ctx.request().uri();
      String lower = target.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
        ctx.next();
        return;
      }
      RequestMetrics.name(ctx, "/apt (proxy)");
      URI uri;
      try {
        uri = new URI(target);
      } catch (URISyntaxException e) {
        throw HttpProblem.badRequest("malformed request target: " + e.getMessage());
      }
      if (uri.getRawAuthority() == null || uri.getRawPath() == null) {
        throw HttpProblem.badRequest("request target has no host or path: " + target);
      }
      requireGetOrHead(ctx);
      AptMirrors.Resolution resolution =
          mirrors.resolve(
              uri.getScheme().toLowerCase(Locale.ROOT), uri.getRawAuthority(), uri.getRawPath());
      if (resolution instanceof AptMirrors.Resolution.Mapped mapped) {
        auth.checkProxyRead(
            ctx.request().getHeader("Proxy-Authorization"),
            ctx.request().getHeader("Authorization"));
        serve(ctx, mapped.mirror(), mapped.rawPath());
      } else if (resolution instanceof AptMirrors.Resolution.Refused refused) {
        metrics.refused();
        throw new HttpProblem(403, refused.reason());
      }
    };
  }

  /**
   * Answers CONNECT (tunnelling, e.g. for https through a proxy) with a 403 and passes every other
   * request to {@code next}: a tunnel would make this an open proxy, and its bytes could not be
   * cached anyway.
   */
  public Handler<HttpServerRequest> refusingConnect(Handler<HttpServerRequest> next) {
    return request -> {
      if (HttpMethod.CONNECT.equals(request.method())) {
        metrics.refused();
        FailureResponder.respond(
            request.response(),
            403,
            "CONNECT is not supported: this server caches plain-http apt mirrors only; use http://"
                + " mirror URLs or /apt/<mirror>/");
        return;
      }
      next.handle(request);
    };
  }

  public void register(Router router) {
    router
        .routeWithRegex("/apt/([^/]+)/(.*)")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/apt"))
        .handler(auth.requireRead())
        .handler(this::byName);
    router
        .routeWithRegex(HOST_STYLE.pattern())
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/apt (host)"))
        .handler(auth.requireRead())
        .handler(this::byHost);
  }

  private void byName(RoutingContext ctx) {
    String name = ctx.pathParam("param0");
    AptMirror mirror =
        mirrors
            .named(name)
            .orElseThrow(
                () ->
                    HttpProblem.notFound(
                        "no apt mirror named '"
                            + name
                            + "'; configured: "
                            + String.join(
                                ", ", mirrors.all().stream().map(AptMirror::name).toList())));
    serve(ctx, mirror, ctx.pathParam("param1"));
  }

  private void byHost(RoutingContext ctx) {
    String host = ctx.pathParam("param0");
    AptMirrors.Resolution resolution = mirrors.resolve("http", host, "/" + ctx.pathParam("param1"));
    if (resolution instanceof AptMirrors.Resolution.Mapped mapped) {
      serve(ctx, mapped.mirror(), mapped.rawPath());
    } else if (resolution instanceof AptMirrors.Resolution.Refused refused) {
      metrics.refused();
      throw new HttpProblem(403, refused.reason());
    }
  }

  private void serve(RoutingContext ctx, AptMirror mirror, String rawPath) {
    AptPath path = AptPath.fromRaw(rawPath);
    int unused =
        ctx.addEndHandler(
            ended -> {
              metrics.served(mirror.name(), ctx.response().bytesWritten());
              // Whether the client read it all is not known here (HTTP/2 ends streams its own
              // way): a GET answered with the file counts as an access.
              if (HttpMethod.GET.equals(ctx.request().method())
                  && ctx.response().getStatusCode() < 400) {
                accesses.accessed(new EntryRef.AptFile(mirror.name(), path.value()));
              }
            });
    lookUp(ctx, mirror, path, true);
  }

  private void lookUp(RoutingContext ctx, AptMirror mirror, AptPath path, boolean mayRetry) {
    blocking
        .run(() -> service.source(mirror, path))
        .onSuccess(
            source -> {
              if (source instanceof AptSource.Stored stored) {
                // Held until the response ends: pruning leaves a blob being sent alone.
                BlobLeases.Lease lease = leases.acquire(stored.file().sha256());
                int unusedHandler = ctx.addEndHandler(ended -> lease.close());
                FileResponses.sendStored(ctx, stored.file(), stored.cacheControl())
                    .onFailure(
                        failure -> {
                          // Pruned between the lookup and the send: look it up once more.
                          if (mayRetry
                              && !ctx.response().headWritten()
                              && FileResponses.vanished(failure)) {
                            lookUp(ctx, mirror, path, false);
                          } else {
                            ctx.fail(failure);
                          }
                        });
              } else if (source instanceof AptSource.Filling filling) {
                responses.sendFilling(
                    ctx,
                    filling.filling(),
                    filling.cacheControl(),
                    filling.lastModified(),
                    mayRetry
                        ? Optional.of(() -> lookUp(ctx, mirror, path, false))
                        : Optional.empty());
              }
            })
        .onFailure(ctx::fail);
  }

  private static void requireGetOrHead(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      throw new HttpProblem(
          405, "the apt proxy serves GET and HEAD only", java.util.Map.of("Allow", "GET, HEAD"));
    }
  }
}
