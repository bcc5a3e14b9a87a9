package dev.wheelhouse.server.admin;

import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.Role;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BeforeBody;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.pypi.SimplePages;
import dev.wheelhouse.storage.MetadataStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * PEP 592 yanking: {@code PUT /admin/indexes/<index>/projects/<project>/files/<file>/yank} with an
 * optional JSON body {@code {"reason": "..."}} yanks; {@code DELETE} on the same URL un-yanks.
 */
public final class YankRoutes {
  private final IndexRegistry registry;
  private final MetadataStore metadata;
  private final SimplePages pages;
  private final BlockingExecutor blocking;
  private final Authenticator auth;

  public YankRoutes(
      IndexRegistry registry,
      MetadataStore metadata,
      SimplePages pages,
      BlockingExecutor blocking,
      Authenticator auth) {
    this.registry = registry;
    this.metadata = metadata;
    this.pages = pages;
    this.blocking = blocking;
    this.auth = auth;
  }

  public void register(Router router) {
    router
        .routeWithRegex("/admin/indexes/([^/]+)/projects/([^/]+)/files/([^/]+)/yank")
        .method(HttpMethod.PUT)
        .method(HttpMethod.DELETE)
        .handler(BeforeBody.of(RequestMetrics.label("/admin/yank")))
        .handler(BeforeBody.of(auth.require(Role.ADMIN)))
        .handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
        .handler(this::yank);
  }

  private void yank(RoutingContext ctx) {
    String index = PathSegments.decode(ctx.pathParam("param0"));
    String project = ProjectName.of(PathSegments.decode(ctx.pathParam("param1"))).value();
    String filename =
        DistributionFilename.parse(PathSegments.decode(ctx.pathParam("param2"))).filename();
    if (registry.require(index).type() != IndexType.HOSTED) {
      throw HttpProblem.badRequest("only files of hosted indexes can be yanked");
    }
    Optional<String> reason =
        HttpMethod.DELETE.equals(ctx.request().method())
            ? Optional.empty()
            : Optional.of(reason(ctx));
    blocking
        .run(() -> metadata.setYanked(index, project, filename, reason))
        .onSuccess(
            found -> {
              if (!found) {
                ctx.fail(
                    HttpProblem.notFound(
                        "no such file: " + index + "/" + project + "/" + filename));
                return;
              }
              pages.invalidate(registry.readersOf(index), project);
              ctx.response()
                  .putHeader("Content-Type", "text/plain; charset=utf-8")
                  .end(
                      reason.isPresent()
                          ? "yanked " + filename + "\n"
                          : "un-yanked " + filename + "\n");
            })
        .onFailure(ctx::fail);
  }

  private static String reason(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return "";
    }
    try {
      Object reason = new JsonObject(ctx.body().buffer()).getValue("reason");
      if (reason != null && !(reason instanceof String)) {
        throw HttpProblem.badRequest("\"reason\" must be a string");
      }
      return reason == null ? "" : (String) reason;
    } catch (DecodeException e) {
      throw HttpProblem.badRequest("body must be JSON like {\"reason\": \"...\"}");
    }
  }
}
