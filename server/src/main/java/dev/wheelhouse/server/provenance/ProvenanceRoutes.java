package dev.wheelhouse.server.provenance;

import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.files.FileResponses;
import dev.wheelhouse.server.files.ServedFile;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.lifecycle.BlobLeases;
import dev.wheelhouse.server.ops.RequestMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code GET /provenance/<index>/<filename>}: how a hosted file was built, as JSON; {@code GET|HEAD
 * /provenance/<index>/<filename>/log}: its build log as text. Read access as for {@code /simple/}.
 */
public final class ProvenanceRoutes {
  // A provenance can be added to a file uploaded before without one: clients revalidate.
  private static final String CACHE_CONTROL = "no-cache";

  private final ProvenanceService provenance;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final BlobLeases leases;

  public ProvenanceRoutes(
      ProvenanceService provenance,
      BlockingExecutor blocking,
      Authenticator auth,
      BlobLeases leases) {
    this.provenance = provenance;
    this.blocking = blocking;
    this.auth = auth;
    this.leases = leases;
  }

  public void register(Router router) {
    router
        .routeWithRegex("/provenance/([^/]+)/([^/]+)")
        .method(HttpMethod.GET)
        .handler(RequestMetrics.label("/provenance"))
        .handler(auth.requireRead())
        .handler(this::document);
    router
        .routeWithRegex("/provenance/([^/]+)/([^/]+)/log")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(RequestMetrics.label("/provenance/log"))
        .handler(auth.requireRead())
        .handler(this::log);
  }

  private void document(RoutingContext ctx) {
    String index = PathSegments.decode(ctx.pathParam("param0"));
    String filename = PathSegments.decode(ctx.pathParam("param1"));
    blocking
        .run(
            () -> {
              BuiltFile built = provenance.find(index, filename);
              Optional<String> logUrl =
                  built
                      .provenance()
                      .buildLog()
                      .map(sha -> PathSegments.encode(built.file().filename()) + "/log");
              return ProvenanceJson.document(built.provenance().json(), built.file(), logUrl);
            })
        .onSuccess(
            json ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", CACHE_CONTROL)
                    .end(Buffer.buffer(json)))
        .onFailure(ctx::fail);
  }

  private void log(RoutingContext ctx) {
    String index = PathSegments.decode(ctx.pathParam("param0"));
    String filename = PathSegments.decode(ctx.pathParam("param1"));
    blocking
        .run(() -> provenance.log(index, filename))
        .onSuccess(file -> send(ctx, file))
        .onFailure(ctx::fail);
  }

  /** Sends the log, holding a lease on its blob until the response ends (pruning leaves it). */
  private void send(RoutingContext ctx, ServedFile file) {
    BlobLeases.Lease lease = leases.acquire(file.sha256());
    int unused = ctx.addEndHandler(ended -> lease.close());
    // Logs are text written by build tools: never let a browser guess another type.
    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
    FileResponses.sendStored(ctx, file, CACHE_CONTROL).onFailure(ctx::fail);
  }
}
