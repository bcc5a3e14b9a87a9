package dev.wheelhouse.server.pypi;

import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.EntityTags;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.storage.CachedPage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code /simple/...} (the default index) and {@code /index/<name>/simple/...}: parse the path,
 * negotiate the format, answer from the page cache or render on a worker.
 */
public final class SimpleIndexRoutes {
  private static final String SUPPORTED =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html, text/html";

  private final IndexRegistry registry;
  private final SimplePages pages;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final String cacheControl;
  private final PageViews views;

  public SimpleIndexRoutes(
      IndexRegistry registry,
      SimplePages pages,
      BlockingExecutor blocking,
      Authenticator auth,
      Duration pageMaxAge,
      PageViews views) {
    this.registry = registry;
    this.pages = pages;
    this.blocking = blocking;
    this.auth = auth;
    this.cacheControl = "max-age=" + pageMaxAge.toSeconds() + ", public";
    this.views = views;
  }

  public void register(Router router) {
    router
        .routeWithRegex("/simple(/.*)?")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/simple"))
        .handler(auth.requireRead())
        .handler(ctx -> serve(ctx, registry.defaultIndex(), "/simple", 0));
    router
        .routeWithRegex("/index/([^/]+)/simple(/.*)?")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/index/simple"))
        .handler(auth.requireRead())
        .handler(
            ctx -> {
              String index = PathSegments.decode(ctx.pathParam("param0"));
              registry.require(index);
              serve(ctx, index, "/index/" + PathSegments.encode(index) + "/simple", 2);
            });
  }

  /**
   * @param base the index's simple URL without trailing slash
   * @param baseDepth path segments before "simple" (0 for /simple, 2 for /index/x/simple)
   */
  private void serve(RoutingContext ctx, String index, String base, int baseDepth) {
    String path = ctx.normalizedPath();
    String rest = path.substring(path.indexOf("/simple") + "/simple".length());
    String query = ctx.request().query() == null ? "" : "?" + ctx.request().query();
    if (rest.isEmpty()) {
      redirect(ctx, base + "/" + query);
      return;
    }
    SimpleFormat format = negotiate(ctx);
    if (rest.equals("/")) {
      respondFromCacheOr(
          ctx,
          pages.cached(index, "", format, 1),
          () -> blocking.run(() -> Optional.of(RenderedPage.fresh(pages.root(index, format)))));
      return;
    }
    String[] segments = rest.substring(1).split("/", -1);
    if (segments.length > 2 || (segments.length == 2 && !segments[1].isEmpty())) {
      throw HttpProblem.notFound("not a simple index URL: " + path);
    }
    String raw = PathSegments.decode(segments[0]);
    ProjectName name = ProjectName.of(raw);
    if (!name.value().equals(raw) || segments.length == 1) {
      // PEP 503: non-normalized names and missing trailing slashes redirect to the canonical URL.
      redirect(ctx, base + "/" + PathSegments.encode(name.value()) + "/" + query);
      return;
    }
    int depth = baseDepth + 2;
    tellViews(ctx, index, name.value());
    respondFromCacheOr(
        ctx,
        pages.cached(index, name.value(), format, depth),
        () -> blocking.run(() -> pages.project(index, name, format, depth)));
  }

  /** Once the page is sent (or confirmed unchanged), tells who watches which client read it. */
  private void tellViews(RoutingContext ctx, String index, String project) {
    String userAgent = ctx.request().getHeader("User-Agent");
    int unused =
        ctx.addEndHandler(
            ended -> {
              // Not ended.succeeded(): HTTP/2 (an h2c upgrade) ends streams its own way.
              int status = ctx.response().getStatusCode();
              if (status == 200 || status == 304) {
                views.projectPageServed(index, project, userAgent);
              }
            });
  }

  private SimpleFormat negotiate(RoutingContext ctx) {
    String override = ctx.queryParams().get("format");
    String accept = override != null ? override : ctx.request().getHeader("Accept");
    return ContentNegotiation.choose(accept)
        .orElseThrow(
            () ->
                new HttpProblem(
                    406, "none of the requested media types is offered; supported: " + SUPPORTED));
  }

  private void respondFromCacheOr(
      RoutingContext ctx,
      Optional<CachedPage> cached,
      java.util.function.Supplier<io.vertx.core.Future<Optional<RenderedPage>>> render) {
    if (cached.isPresent()) {
      respond(ctx, RenderedPage.fresh(cached.get()));
      return;
    }
    render
        .get()
        .onSuccess(
            page -> {
              if (page.isEmpty()) {
                ctx.fail(HttpProblem.notFound("no such project"));
              } else {
                respond(ctx, page.get());
              }
            })
        .onFailure(ctx::fail);
  }

  private void respond(RoutingContext ctx, RenderedPage rendered) {
    CachedPage page = rendered.page();
    if (!rendered.stale().isEmpty()) {
      // Upstream failed: this is the last good copy, and the client is told so.
      ctx.response()
          .putHeader("X-Wheelhouse-Stale", String.join(", ", rendered.stale()))
          .putHeader("Warning", "110 wheelhouse \"Response is Stale\"");
    }
    HttpServerResponse response =
        ctx.response()
            .putHeader("Content-Type", page.contentType())
            .putHeader("ETag", page.etag())
            .putHeader("Vary", "Accept")
            .putHeader("Cache-Control", cacheControl);
    if (EntityTags.noneMatchHits(ctx.request().getHeader("If-None-Match"), page.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.end(Buffer.buffer(page.body()));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response()
        .setStatusCode(301)
        .putHeader("Location", location)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("moved to " + location + "\n");
  }
}
