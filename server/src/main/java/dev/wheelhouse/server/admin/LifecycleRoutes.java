package dev.wheelhouse.server.admin;

import dev.wheelhouse.config.Durations;
import dev.wheelhouse.config.Role;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BeforeBody;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.JsonReplies;
import dev.wheelhouse.server.lifecycle.AccessRecorder;
import dev.wheelhouse.server.lifecycle.GarbageCollector;
import dev.wheelhouse.server.lifecycle.GcReport;
import dev.wheelhouse.server.lifecycle.LifecycleMetrics;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.Pruner;
import dev.wheelhouse.server.lifecycle.StoreStats;
import dev.wheelhouse.server.lifecycle.Verifier;
import dev.wheelhouse.server.lifecycle.VerifyOptions;
import dev.wheelhouse.server.lifecycle.VerifyReport;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.ops.TrafficTotals;
import dev.wheelhouse.storage.MetadataStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code /admin/prune}, {@code /admin/gc}, {@code /admin/verify} (progress streamed as NDJSON, a
 * dry run unless {@code "apply": true}) and {@code /admin/stats}; admin token required. The work
 * runs inside the server, which owns the store.
 */
public final class LifecycleRoutes {
  private final Pruner pruner;
  private final GarbageCollector gc;
  private final Verifier verifier;
  private final StoreStats stats;
  private final PruneRequest prune;
  private final MetadataStore meta;
  private final TrafficTotals traffic;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final LifecycleMetrics metrics;
  private final AccessRecorder accesses;

  public LifecycleRoutes(
      Pruner pruner,
      GarbageCollector gc,
      Verifier verifier,
      StoreStats stats,
      PruneRequest prune,
      MetadataStore meta,
      TrafficTotals traffic,
      BlockingExecutor blocking,
      Authenticator auth,
      LifecycleMetrics metrics,
      AccessRecorder accesses) {
    this.pruner = pruner;
    this.gc = gc;
    this.verifier = verifier;
    this.stats = stats;
    this.prune = prune;
    this.meta = meta;
    this.traffic = traffic;
    this.blocking = blocking;
    this.auth = auth;
    this.metrics = metrics;
    this.accesses = accesses;
  }

  /** The pruner, whose last report others show. */
  public Pruner pruner() {
    return pruner;
  }

  /** Storage statistics, as {@code /admin/stats} computes them. */
  public StoreStats stats() {
    return stats;
  }

  /** Traffic totals, as {@code /admin/stats} shows them. */
  public TrafficTotals traffic() {
    return traffic;
  }

  public void register(Router router) {
    post(router, "/admin/prune", this::prune);
    post(router, "/admin/gc", this::gc);
    post(router, "/admin/verify", this::verify);
    router
        .get("/admin/stats")
        .handler(RequestMetrics.label("/admin/stats"))
        .handler(auth.require(Role.ADMIN))
        .handler(this::stats);
  }

  private void post(Router router, String path, io.vertx.core.Handler<RoutingContext> handler) {
    router
        .post(path)
        .handler(BeforeBody.of(RequestMetrics.label(path)))
        .handler(BeforeBody.of(auth.require(Role.ADMIN)))
        .handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
        .handler(handler);
  }

  private void prune(RoutingContext ctx) {
    JsonObject body = body(ctx);
    var policy = prune.policy(body);
    boolean apply = PruneRequest.apply(body);
    NdjsonJob.run(
        ctx,
        blocking,
        progress -> {
          accesses.flush(); // rank by every download so far, not only those already written
          PruneReport report = pruner.run(policy, apply, progress::report);
          metrics.pruned(report);
          return ReportJson.prune(report);
        });
  }

  private void gc(RoutingContext ctx) {
    boolean apply = PruneRequest.apply(body(ctx));
    NdjsonJob.run(
        ctx,
        blocking,
        progress -> {
          GcReport report = gc.run(apply, progress::report);
          metrics.collected(report);
          return ReportJson.gc(report);
        });
  }

  private void verify(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Object sampleValue = body.getValue("sample", 1.0);
    if (!(sampleValue instanceof Number sample)) {
      throw HttpProblem.badRequest("sample: expected a number in (0, 1]");
    }
    Object unchecked = body.getValue("uncheckedFor");
    if (unchecked != null && !(unchecked instanceof String)) {
      throw HttpProblem.badRequest("uncheckedFor: expected a duration like \"7d\"");
    }
    VerifyOptions options;
    try {
      Optional<Duration> uncheckedFor =
          Optional.ofNullable((String) unchecked).map(Durations::parse);
      options = new VerifyOptions(sample.doubleValue(), uncheckedFor);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage());
    }
    NdjsonJob.run(
        ctx,
        blocking,
        progress -> {
          VerifyReport report = verifier.run(options, progress::report);
          metrics.verified(report);
          return ReportJson.verify(report);
        });
  }

  private void stats(RoutingContext ctx) {
    blocking
        .run(
            () ->
                ReportJson.stats(
                    stats.compute(), meta.blobTotals(), pruner.lastReport(), traffic.now()))
        .onSuccess(json -> JsonReplies.current(ctx, json))
        .onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(ctx.body().buffer());
    } catch (DecodeException | ClassCastException e) {
      throw HttpProblem.badRequest("body must be a JSON object");
    }
  }
}
