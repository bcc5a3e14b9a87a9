package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.Sha256;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real pieces wired the way the proxy wires them: a {@link FileBlobStore}, a {@link
 * FillCoordinator} on a thread pool, a Vert.x server whose {@code GET /f} sends the fill with a
 * {@link FillResponder} (answering 502 when it fails before the headers), and a {@link
 * TestUpstream}.
 */
final class FillHarness implements AutoCloseable {
  static final long THRESHOLD = 1 << 20;
  static final String KEY = "pypi/demo/demo-1.0.tar.gz";

  /** What one {@code send} ended with, as the route saw it. */
  record Outcome(Throwable failure, boolean headWritten) {
    boolean ok() {
      return failure == null;
    }
  }

  final TestUpstream upstream;
  final FileBlobStore blobs;
  final PausableCommits commits;
  final FillCoordinator coordinator;
  final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final ExecutorService fillThreads = Executors.newCachedThreadPool();
  private final Vertx vertx = Vertx.vertx();
  // HTTP/1.1 like pip; tests may switch to HTTP/2 (h2c), where a failure resets a stream instead.
  private volatile HttpClient client = client(HttpClient.Version.HTTP_1_1);
  private final HttpServer server;
  private volatile Optional<Sha256> expected = Optional.empty();
  private volatile Fill lastFill;

  FillHarness(Path data) throws Exception {
    upstream = TestUpstream.start();
    blobs = FileBlobStore.open(data);
    commits = new PausableCommits(blobs);
    coordinator = new FillCoordinator(commits, fillThreads);
    FillResponder responder = new FillResponder(vertx, THRESHOLD);
    Router router = Router.router(vertx);
    router.get("/f").handler(ctx -> serve(ctx, responder));
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  private void serve(RoutingContext ctx, FillResponder responder) {
    HttpServerResponse response =
        ctx.response().putHeader("Content-Type", "application/octet-stream");
    Fill fill = coordinator.fill(KEY, upstream.opener(), expected);
    lastFill = fill;
    responder
        .send(ctx, fill)
        .onComplete(
            sent -> {
              outcomes.add(new Outcome(sent.cause(), response.headWritten()));
              if (sent.failed() && !response.headWritten() && !response.closed()) {
                response
                    .setStatusCode(502)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("upstream failed: " + sent.cause().getMessage() + "\n");
              }
            });
  }

  void clientVersion(HttpClient.Version version) {
    client = client(version);
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).build();
  }

  void expect(Sha256 sha256) {
    expected = Optional.of(sha256);
  }

  /** The fill the last request joined or started. */
  Fill lastFill() {
    return lastFill;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/f");
  }

  HttpResponse<byte[]> get() throws IOException, InterruptedException {
    return client.send(request(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<InputStream> open() throws IOException, InterruptedException {
    return client.send(request(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(url()).timeout(Duration.ofSeconds(60)).build();
  }

  /** Next {@code n} outcomes, in the order the responses finished. */
  List<Outcome> outcomes(int n) throws InterruptedException {
    List<Outcome> taken = new ArrayList<>();
    while (taken.size() < n) {
      Outcome next = outcomes.poll(60, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("only " + taken.size() + " of " + n + " responses finished");
      }
      taken.add(next);
    }
    return taken;
  }

  List<Sha256> storedBlobs() throws IOException {
    try (Stream<Sha256> all = blobs.list()) {
      return all.collect(Collectors.toList());
    }
  }

  List<Path> tempFiles() throws IOException {
    try (Stream<Path> all = Files.list(blobs.tempDir())) {
      return all.collect(Collectors.toList());
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    upstream.close();
    fillThreads.shutdownNow();
    fillThreads.awaitTermination(10, TimeUnit.SECONDS);
    commits.close();
  }
}
