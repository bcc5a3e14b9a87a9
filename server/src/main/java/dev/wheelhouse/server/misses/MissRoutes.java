package dev.wheelhouse.server.misses;

import dev.wheelhouse.config.Role;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.JsonReplies;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.storage.PlatformMiss;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /admin/misses[?since=<ISO-8601>]}: the platforms that found no wheel, most recently
 * seen first; {@code DELETE /admin/misses/<index>/<project>}: forget a project's misses (once
 * built). Admin token required.
 */
public final class MissRoutes {
  private final MissRecorder misses;
  private final BlockingExecutor blocking;
  private final Authenticator auth;

  public MissRoutes(MissRecorder misses, BlockingExecutor blocking, Authenticator auth) {
    this.misses = misses;
    this.blocking = blocking;
    this.auth = auth;
  }

  public void register(Router router) {
    router
        .get("/admin/misses")
        .handler(RequestMetrics.label("/admin/misses"))
        .handler(auth.require(Role.ADMIN))
        .handler(this::list);
    router
        .routeWithRegex("/admin/misses/([^/]+)/([^/]+)")
        .method(HttpMethod.DELETE)
        .handler(RequestMetrics.label("/admin/misses"))
        .handler(auth.require(Role.ADMIN))
        .handler(this::clear);
  }

  private void list(RoutingContext ctx) {
    Optional<Instant> since =
        Optional.ofNullable(ctx.queryParams().get("since")).map(MissRoutes::instant);
    blocking
        .run(() -> json(misses.list(since)))
        .onSuccess(json -> JsonReplies.current(ctx, json))
        .onFailure(ctx::fail);
  }

  private void clear(RoutingContext ctx) {
    String index = PathSegments.decode(ctx.pathParam("param0"));
    String project = ProjectName.of(PathSegments.decode(ctx.pathParam("param1"))).value();
    blocking
        .run(() -> misses.clear(index, project))
        .onSuccess(
            cleared -> {
              if (cleared == 0) {
                ctx.fail(HttpProblem.notFound("no misses recorded for " + index + "/" + project));
                return;
              }
              JsonReplies.current(
                  ctx,
                  new JsonObject()
                      .put("index", index)
                      .put("project", project)
                      .put("cleared", cleared));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject json(List<PlatformMiss> found) {
    JsonArray rows = new JsonArray();
    for (PlatformMiss miss : found) {
      rows.add(
          new JsonObject()
              .put("index", miss.index())
              .put("project", miss.project())
              .put("platform", miss.platform())
              .put("python", miss.python())
              .put("libc", miss.libc())
              .put("count", miss.count())
              .put("first-seen", miss.firstSeen().toString())
              .put("last-seen", miss.lastSeen().toString())
              .put("version", miss.version().orElse(null)));
    }
    return new JsonObject().put("misses", rows);
  }

  /** An ISO-8601 time, with an offset or as a date (midnight UTC); a 400 otherwise. */
  private static Instant instant(String text) {
    // A query string's '+' decodes to a space: put back the offset's sign.
    String value = text.strip().replace(' ', '+');
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notDate) {
        throw HttpProblem.badRequest(
            "since: expected an ISO-8601 time like 2026-01-31T12:00:00Z, got '" + text + "'");
      }
    }
  }
}
