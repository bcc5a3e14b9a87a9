package dev.wheelhouse.server.upload;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.Role;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BeforeBody;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.FailureResponder;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.HttpVerticle;
import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.ops.ServerMetrics;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.pypi.SimplePages;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy upload API ({@code POST /legacy/}, {@code POST /index/<hosted>/legacy/}) as twine, uv,
 * flit and hatch speak it, plus the builder's {@code provenance} field and {@code build_log} file.
 * Credentials and the target index are checked before the body is read; the body handler streams
 * the files to the store's temp directory, never into memory.
 */
public final class UploadRoutes {
  private static final String INDEX_KEY = "wheelhouse.upload.index";

  private final IndexRegistry registry;
  private final UploadService uploads;
  private final SimplePages pages;
  private final BlockingExecutor blocking;
  private final Authenticator auth;
  private final ServerMetrics metrics;
  private final Path tempDir;
  private final long maxBytes;

  public UploadRoutes(
      IndexRegistry registry,
      UploadService uploads,
      SimplePages pages,
      BlockingExecutor blocking,
      Authenticator auth,
      ServerMetrics metrics,
      Path tempDir,
      long maxBytes) {
    this.registry = registry;
    this.uploads = uploads;
    this.pages = pages;
    this.blocking = blocking;
    this.auth = auth;
    this.metrics = metrics;
    this.tempDir = tempDir;
    this.maxBytes = maxBytes;
  }

  public void register(Router router) {
    BodyHandler body =
        BodyHandler.create(tempDir.toString())
            .setBodyLimit(maxBytes)
            .setHandleFileUploads(true)
            .setMergeFormAttributes(true)
            .setDeleteUploadedFilesOnEnd(true);
    router
        .routeWithRegex("/legacy/?")
        .method(HttpMethod.POST)
        .handler(BeforeBody.of(RequestMetrics.label("/legacy")))
        .handler(BeforeBody.of(auth.require(Role.UPLOAD)))
        .handler(BeforeBody.of(this::defaultTarget))
        .handler(body)
        .handler(this::upload)
        .failureHandler(this::tooLarge);
    router
        .routeWithRegex("/index/([^/]+)/legacy/?")
        .method(HttpMethod.POST)
        .handler(BeforeBody.of(RequestMetrics.label("/index/legacy")))
        .handler(BeforeBody.of(auth.require(Role.UPLOAD)))
        .handler(BeforeBody.of(this::namedTarget))
        .handler(body)
        .handler(this::upload)
        .failureHandler(this::tooLarge);
  }

  private void defaultTarget(RoutingContext ctx) {
    String index =
        registry
            .uploadIndex()
            .orElseThrow(() -> HttpProblem.notFound("no hosted index is configured for uploads"));
    ctx.put(INDEX_KEY, index);
    ctx.next();
  }

  private void namedTarget(RoutingContext ctx) {
    String name = PathSegments.decode(ctx.pathParam("param0"));
    IndexConfig index = registry.require(name);
    if (index.type() != IndexType.HOSTED) {
      throw HttpProblem.badRequest(
          "index '"
              + name
              + "' is a "
              + index.type().name().toLowerCase(java.util.Locale.ROOT)
              + " index; upload to a hosted index");
    }
    ctx.put(INDEX_KEY, name);
    ctx.next();
  }

  private void upload(RoutingContext ctx) {
    String index = ctx.get(INDEX_KEY);
    List<FileUpload> files = ctx.fileUploads();
    FileUpload content =
        files.stream().filter(f -> f.name().equals("content")).findFirst().orElse(null);
    if (content == null) {
      metrics.upload(index, "rejected");
      throw HttpProblem.badRequest(
          "expected a multipart/form-data upload with the file in the 'content' field");
    }
    if (files.stream().anyMatch(f -> f.name().equals("provenance"))) {
      metrics.upload(index, "rejected");
      throw HttpProblem.badRequest("send provenance as a form field, not as a file");
    }
    Optional<Path> buildLog =
        files.stream()
            .filter(f -> f.name().equals("build_log"))
            .findFirst()
            .map(f -> Path.of(f.uploadedFileName()));
    Map<String, String> form = new HashMap<>();
    ctx.request().formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
    UploadRequest request =
        new UploadRequest(
            index, content.fileName(), Path.of(content.uploadedFileName()), form, buildLog);
    blocking
        .run(() -> uploads.upload(request))
        .onSuccess(
            outcome -> {
              metrics.upload(index, outcome == UploadOutcome.STORED ? "stored" : "exists");
              // Also for a file that existed: the upload may have added its provenance.
              pages.invalidate(registry.readersOf(index), projectOf(request));
              ctx.response()
                  .putHeader("Content-Type", "text/plain; charset=utf-8")
                  .end(outcome == UploadOutcome.STORED ? "OK\n" : "OK (file already exists)\n");
            })
        .onFailure(
            failure -> {
              metrics.upload(index, "rejected");
              ctx.fail(failure);
            });
  }

  private static String projectOf(UploadRequest request) {
    return dev.wheelhouse.packaging.DistributionFilename.parse(request.filename())
        .project()
        .value();
  }

  private void tooLarge(RoutingContext ctx) {
    if (ctx.failure() == null && ctx.statusCode() == 413) {
      FailureResponder.respond(
          ctx.response(), 413, "upload larger than the limit of " + maxBytes + " bytes");
      return;
    }
    // Netty's multipart decoder refuses a form field over the server's limit this way.
    if (ctx.failure() instanceof IOException e
        && String.valueOf(e.getMessage()).contains("exceed allowed maximum")
        && !ctx.response().headWritten()) {
      FailureResponder.respond(
          ctx.response(),
          413,
          "a form field is larger than the limit of " + HttpVerticle.MAX_FORM_FIELD + " bytes");
      return;
    }
    ctx.next();
  }
}
