package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wheelhouse.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pip installs librosa (numpy, scipy, numba, llvmlite, scikit-learn, ... tens of MB of real
 * wheels) through a proxy of a local PEP 503 mirror at {@code /opt/pypi}, twice: the cold install
 * fetches every file from the upstream once, and the warm install into a second fresh venv fetches
 * no file from the upstream at all. Skipped on machines without that mirror.
 */
class LocalPypiMirrorTest {
  private static final Path MIRROR = Paths.get("/opt/pypi");
  private static final String PROJECT = "librosa";

  /** Per pip run: the cold install moves hundreds of MB through two servers on two cores. */
  private static final Duration PIP_TIMEOUT = Duration.ofMinutes(15);

  @TempDir Path data;
  @TempDir Path work;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void librosaInstallsColdThenWarmWithoutUpstreamFileDownloads() throws Exception {
    assumeTrue(
        Files.isRegularFile(MIRROR.resolve("simple").resolve(PROJECT).resolve("index.html"))
            && Files.isDirectory(MIRROR.resolve("files")),
        "no local PyPI mirror at " + MIRROR + "/simple (with " + PROJECT + ") on this machine");
    IsolatedPython python = IsolatedPython.find(work);

    StaticMirror upstream = StaticMirror.start(MIRROR);
    open.add(upstream);
    TestServer server =
        TestServer.startWithIndexes(
            data,
            "indexes:\n"
                + "  - name: local\n    type: hosted\n"
                + "  - name: pypi\n    type: proxy\n    url: "
                + upstream.simpleUrl()
                + "\n    ttl: 10m\n"
                + "  - name: all\n    type: group\n    members: [local, pypi]\n"
                + "default-index: all\n"
                + "upload:\n  index: local\n");
    open.add(server);

    Path cold = python.venv("cold");
    long coldStart = System.nanoTime();
    python.pipInstall(cold, server.url() + "/simple/", PIP_TIMEOUT, PROJECT);
    Duration coldTime = Duration.ofNanos(System.nanoTime() - coldStart);
    int afterCold = upstream.fileRequests();
    int pagesAfterCold = upstream.pageRequests();
    String coldVersion = importLibrosa(python, cold);

    Path warm = python.venv("warm");
    long warmStart = System.nanoTime();
    python.pipInstall(warm, server.url() + "/simple/", PIP_TIMEOUT, PROJECT);
    Duration warmTime = Duration.ofNanos(System.nanoTime() - warmStart);
    int afterWarm = upstream.fileRequests();
    String warmVersion = importLibrosa(python, warm);

    System.out.printf(
        "LocalPypiMirrorTest: librosa %s; cold install %.1fs (%d upstream file requests, %d"
            + " page requests), warm install %.1fs (%d upstream file requests, %d page"
            + " requests)%n",
        coldVersion,
        coldTime.toMillis() / 1000.0,
        afterCold,
        pagesAfterCold,
        warmTime.toMillis() / 1000.0,
        afterWarm - afterCold,
        upstream.pageRequests() - pagesAfterCold);

    assertThat(afterCold).as("upstream file requests during the cold install").isPositive();
    assertThat(afterWarm)
        .as("upstream file requests after the warm install (%d after the cold one)", afterCold)
        .isEqualTo(afterCold);
    assertThat(warmVersion).isEqualTo(coldVersion);
  }

  private static String importLibrosa(IsolatedPython python, Path venvPython) throws Exception {
    String out =
        python.run(
            Duration.ofMinutes(5),
            "import",
            List.of(venvPython.toString(), "-c", "import librosa; print(librosa.__version__)"));
    List<String> lines = out.strip().lines().toList();
    assertThat(lines).as(out).isNotEmpty();
    return lines.get(lines.size() - 1).strip();
  }

  /**
   * A static PEP 503 server over a mirror tree: {@code /simple/<project>/} is {@code
   * simple/<project>/index.html}, {@code /files/<file>} is streamed from {@code files/}. Counts the
   * requests under {@code /files/} (whatever their outcome) and the project page requests.
   */
  static final class StaticMirror implements AutoCloseable {
    private final Path root;
    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final AtomicInteger fileRequests = new AtomicInteger();
    private final AtomicInteger pageRequests = new AtomicInteger();

    private StaticMirror(Path root) throws IOException {
      this.root = root.toRealPath();
      this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(executor);
      http.createContext("/", this::handle);
    }

    static StaticMirror start(Path root) throws IOException {
      StaticMirror mirror = new StaticMirror(root);
      mirror.http.start();
      return mirror;
    }

    String simpleUrl() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/simple/";
    }

    int fileRequests() {
      return fileRequests.get();
    }

    int pageRequests() {
      return pageRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          empty(exchange, 405);
          return;
        }
        String path = exchange.getRequestURI().getPath();
        String[] segments = path.split("/", -1);
        if (path.startsWith("/files/")) {
          fileRequests.incrementAndGet();
          if (segments.length == 3 && safe(segments[2])) {
            serve(exchange, root.resolve("files").resolve(segments[2]), "application/octet-stream");
            return;
          }
        } else if (path.startsWith("/simple/") && segments.length >= 3 && safe(segments[2])) {
          if (segments.length == 3) { // /simple/<project>: PEP 503 wants the slash
            exchange.getResponseHeaders().set("Location", path + "/");
            empty(exchange, 301);
            return;
          }
          if (segments.length == 4 && segments[3].isEmpty()) {
            pageRequests.incrementAndGet();
            Path page = root.resolve("simple").resolve(segments[2]).resolve("index.html");
            serve(exchange, page, "text/html; charset=utf-8");
            return;
          }
        }
        empty(exchange, 404);
      }
    }

    private static boolean safe(String segment) {
      return !segment.isEmpty()
          && !segment.equals(".")
          && !segment.equals("..")
          && !segment.contains("\\");
    }

    /** Streams the file: never read whole into memory, some are hundreds of MB. */
    private static void serve(HttpExchange exchange, Path file, String type) throws IOException {
      if (!Files.isRegularFile(file)) {
        empty(exchange, 404);
        return;
      }
      long size = Files.size(file);
      exchange.getResponseHeaders().set("Content-Type", type);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (OutputStream body = exchange.getResponseBody()) {
        Files.copy(file, body);
      }
    }

    private static void empty(HttpExchange exchange, int status) throws IOException {
      exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
      http.stop(0);
      executor.shutdownNow();
    }
  }
}
