package dev.wheelhouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull-through cache against real upstream index servers started by the test. */
class ProxyIndexTest {
  static final String PIP_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
          + " text/html; q=0.01";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path work;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  UpstreamIndex upstream(UpstreamTree tree, UpstreamIndex.Options options) throws Exception {
    UpstreamIndex index = UpstreamIndex.start(tree, options);
    open.add(index);
    return index;
  }

  TestServer server(String indexesYaml) throws Exception {
    TestServer server = TestServer.startWithIndexes(data, indexesYaml);
    open.add(server);
    return server;
  }

  static String groupOf(UpstreamIndex pypi, String extra) {
    return "indexes:\n"
        + "  - name: local\n"
        + "    type: hosted\n"
        + "  - name: pypi\n"
        + "    type: proxy\n"
        + "    url: "
        + pypi.simpleUrl()
        + "\n"
        + "    ttl: 10m\n"
        + "  - name: all\n"
        + "    type: group\n"
        + "    members: [local, pypi]\n"
        + extra
        + "default-index: all\n"
        + "upload:\n"
        + "  index: local\n";
  }

  Path wheel(String name, String version) throws Exception {
    return TestWheels.wheel(
        Files.createDirectories(work.resolve(name + version)), name, version, "py3-none-any");
  }

  @Test
  void jsonUpstreamPagesAreRewrittenAndFilesCachedOnce() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel = wheel("alpha", "1.0");
    tree.add(
        "alpha",
        wheel,
        UpstreamTree.FileOptions.defaults().requiresPython(">=3.8").withCoreMetadata());
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, ""));

    JsonNode page = json(server.get("/simple/alpha/", "Accept", PIP_ACCEPT));
    JsonNode file = page.at("/files/0");
    assertThat(file.at("/filename").asText()).isEqualTo("alpha-1.0-py3-none-any.whl");
    assertThat(file.at("/url").asText())
        .isEqualTo("../../files/pypi/alpha/alpha-1.0-py3-none-any.whl");
    assertThat(file.at("/hashes/sha256").asText()).isEqualTo(sha(wheel));
    assertThat(file.at("/requires-python").asText()).isEqualTo(">=3.8");
    assertThat(file.at("/core-metadata/sha256").asText())
        .isEqualTo(MultipartUpload.hex("SHA-256", TestWheels.metadataOf(wheel)));

    String url = "/files/pypi/alpha/alpha-1.0-py3-none-any.whl";
    // HEAD of a file not cached yet: fetched, then answered with its real length.
    HttpResponse<byte[]> head = server.send("HEAD", url);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length"))
        .contains(Long.toString(Files.size(wheel)));
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> got = server.get(url);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(MultipartUpload.hex("SHA-256", got.body())).isEqualTo(sha(wheel));
    }
    assertThat(pypi.fileRequests("alpha-1.0-py3-none-any.whl")).isEqualTo(1);
    HttpResponse<byte[]> metadata = server.get(url + ".metadata");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).isEqualTo(TestWheels.metadataOf(wheel));
    // Range works on the cached file.
    HttpResponse<byte[]> range = server.get(url, "Range", "bytes=0-9");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).hasSize(10);
  }

  @Test
  void fiftyConcurrentRequestsMakeOneUpstreamDownload() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel =
        TestWheels.wheel(work, "busy", "1.0", "py3-none-any", Map.of("X-Noise", noise(3_000_000)));
    tree.add("busy", wheel);
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    pypi.throttle(20_000_000);
    TestServer server = server(groupOf(pypi, ""));
    assertThat(server.get("/simple/busy/").statusCode()).isEqualTo(200);

    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<byte[]>>> downloads = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      downloads.add(
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(server.url() + "/files/pypi/busy/busy-1.0-py3-none-any.whl"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> download : downloads) {
      HttpResponse<byte[]> got = download.get();
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(MultipartUpload.hex("SHA-256", got.body())).isEqualTo(sha(wheel));
    }
    assertThat(pypi.fileRequests("busy-1.0-py3-none-any.whl")).isEqualTo(1);
  }

  @Test
  void corruptUpstreamBytesAre502AndNothingIsStored() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel = wheel("broken", "1.0");
    tree.add("broken", wheel);
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    pypi.corrupt("broken-1.0-py3-none-any.whl");
    TestServer server = server(groupOf(pypi, ""));

    HttpResponse<byte[]> got = server.get("/files/pypi/broken/broken-1.0-py3-none-any.whl");
    assertThat(got.statusCode()).isEqualTo(502);
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).contains("sha256");
    assertThat(Files.exists(blobPath(sha(wheel)))).isFalse();
    assertThat(tmpFiles()).isEmpty();

    pypi.repair("broken-1.0-py3-none-any.whl");
    HttpResponse<byte[]> fixed = server.get("/files/pypi/broken/broken-1.0-py3-none-any.whl");
    assertThat(fixed.statusCode()).isEqualTo(200);
    assertThat(MultipartUpload.hex("SHA-256", fixed.body())).isEqualTo(sha(wheel));
  }

  @Test
  void upstreamOutageServesTheStalePageAndCachedFiles() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel = wheel("steady", "1.0");
    tree.add("steady", wheel);
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, "").replace("    ttl: 10m\n", "    ttl: 1ms\n"));
    assertThat(server.get("/simple/steady/").statusCode()).isEqualTo(200);
    assertThat(server.get("/files/pypi/steady/steady-1.0-py3-none-any.whl").statusCode())
        .isEqualTo(200);

    pypi.stop();
    HttpResponse<byte[]> page = server.get("/simple/steady/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("X-Wheelhouse-Stale")).contains("pypi");
    HttpResponse<byte[]> file = server.get("/files/pypi/steady/steady-1.0-py3-none-any.whl");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(MultipartUpload.hex("SHA-256", file.body())).isEqualTo(sha(wheel));
    // Never seen before and upstream down: an outage, not an absence.
    assertThat(server.get("/simple/never-seen/").statusCode()).isEqualTo(502);
  }

  @Test
  void revalidationUsesConditionalRequests() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    tree.add("fresh", wheel("fresh", "1.0"));
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, "").replace("    ttl: 10m\n", "    ttl: 1ms\n"));
    assertThat(server.get("/simple/fresh/").statusCode()).isEqualTo(200);
    tree.add("fresh", wheel("fresh", "2.0"));
    String page = new String(server.get("/simple/fresh/").body(), StandardCharsets.UTF_8);
    assertThat(page).contains("fresh-2.0-py3-none-any.whl");
    assertThat(pypi.requestLog()).anyMatch(line -> line.contains("if-none-match"));
  }

  @Test
  void upstream404IsRememberedBriefly() throws Exception {
    UpstreamIndex pypi =
        upstream(UpstreamTree.in(work.resolve("up")), UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, ""));
    assertThat(server.get("/simple/nothing/").statusCode()).isEqualTo(404);
    assertThat(server.get("/simple/nothing/").statusCode()).isEqualTo(404);
    assertThat(pypi.requestLog().stream().filter(l -> l.contains("/simple/nothing/")).count())
        .isEqualTo(1);
  }

  @Test
  void hostedProjectsHideUpstreamOnesUnlessMergeIsAllowed() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    tree.add("foo", wheel("foo", "99.0"));
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, ""));
    assertThat(server.upload(wheel("foo", "1.0"), "foo", "1.0").statusCode()).isEqualTo(200);

    JsonNode page = json(server.get("/simple/foo/", "Accept", PIP_ACCEPT));
    assertThat(page.at("/versions").toString()).isEqualTo("[\"1.0\"]");
    // The proxy itself still shows upstream's files.
    assertThat(
            json(server.get("/index/pypi/simple/foo/", "Accept", PIP_ACCEPT))
                .at("/versions")
                .toString())
        .isEqualTo("[\"99.0\"]");
  }

  @Test
  void mergeAllowedShowsBoth() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    tree.add("foo", wheel("foo", "99.0"));
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, "    merge-allowed: [\"foo\"]\n"));
    assertThat(server.upload(wheel("foo", "1.0"), "foo", "1.0").statusCode()).isEqualTo(200);
    JsonNode page = json(server.get("/simple/foo/", "Accept", PIP_ACCEPT));
    assertThat(page.at("/versions").toString()).isEqualTo("[\"1.0\",\"99.0\"]");
  }

  @Test
  void pytorchStyleUpstreamWithHtmlOnlyOtherHostsAndNoHashes() throws Exception {
    UpstreamTree cdnTree = UpstreamTree.in(work.resolve("cdn"));
    UpstreamIndex cdn = upstream(cdnTree, UpstreamIndex.Options.defaults());
    UpstreamTree tree = UpstreamTree.in(work.resolve("torch"));
    Path torch = TestWheels.wheel(work, "torch", "2.1.0+cu121", "py3-none-any");
    Path nvidia = TestWheels.wheel(work, "nvidia-cublas-cu12", "12.1.3.1", "py3-none-any");
    cdnTree.host(torch);
    tree.add("torch", torch, UpstreamTree.FileOptions.defaults().absoluteLinkOn(cdn.baseUrl()));
    tree.add(
        "nvidia-cublas-cu12",
        nvidia,
        UpstreamTree.FileOptions.defaults().rootRelativeLink().omitHash());
    UpstreamIndex pytorch = upstream(tree, UpstreamIndex.Options.pytorch("/whl/cu121"));
    UpstreamIndex pypi =
        upstream(UpstreamTree.in(work.resolve("pypi")), UpstreamIndex.Options.defaults());
    TestServer server =
        server(
            "indexes:\n"
                + "  - name: local\n    type: hosted\n"
                + "  - name: pypi\n    type: proxy\n    url: "
                + pypi.simpleUrl()
                + "\n"
                + "  - name: pytorch\n    type: proxy\n    url: "
                + pytorch.simpleUrl()
                + "\n"
                + "  - name: all\n    type: group\n    members: [local, pypi, pytorch]\n"
                + "    routes: {\"torch*\": [pytorch], \"nvidia-*\": [pytorch]}\n"
                + "default-index: all\n");

    JsonNode page = json(server.get("/simple/torch/", "Accept", PIP_ACCEPT));
    assertThat(page.at("/files/0/filename").asText())
        .isEqualTo("torch-2.1.0+cu121-py3-none-any.whl");
    assertThat(page.at("/files/0/url").asText())
        .startsWith("../../files/pytorch/torch/torch-2.1.0%2Bcu121");
    HttpResponse<byte[]> file =
        server.get("/files/pytorch/torch/torch-2.1.0%2Bcu121-py3-none-any.whl");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(MultipartUpload.hex("SHA-256", file.body())).isEqualTo(sha(torch));
    assertThat(cdn.fileRequests("torch-2.1.0+cu121-py3-none-any.whl")).isEqualTo(1);
    // Routed: pypi was never asked about torch.
    assertThat(pypi.totalRequests()).isZero();

    // No hash upstream: none shown until downloaded, then the computed one.
    String before =
        new String(
            server.get("/simple/nvidia-cublas-cu12/", "Accept", "text/html").body(),
            StandardCharsets.UTF_8);
    assertThat(before).doesNotContain("#sha256=");
    assertThat(
            server
                .get(
                    "/files/pytorch/nvidia-cublas-cu12/nvidia_cublas_cu12-12.1.3.1-py3-none-any.whl")
                .statusCode())
        .isEqualTo(200);
    String after =
        new String(
            server.get("/simple/nvidia-cublas-cu12/", "Accept", "text/html").body(),
            StandardCharsets.UTF_8);
    assertThat(after).contains("#sha256=" + sha(nvidia));

    // PyTorch's 403 for an unknown project is a plain 404 here.
    assertThat(server.get("/index/pytorch/simple/unknown-thing/").statusCode()).isEqualTo(404);
  }

  @Test
  void aClientDisconnectingMidDownloadDoesNotPoisonTheCache() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel =
        TestWheels.wheel(work, "slow", "1.0", "py3-none-any", Map.of("X-Noise", noise(4_000_000)));
    tree.add("slow", wheel);
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    pypi.throttle(4_000_000);
    TestServer server = server(groupOf(pypi, ""));
    URI url = URI.create(server.url() + "/files/pypi/slow/slow-1.0-py3-none-any.whl");

    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> quitter =
        client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream in = quitter.body()) {
      assertThat(in.readNBytes(100_000)).hasSize(100_000);
    }
    HttpResponse<byte[]> patient =
        client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(patient.statusCode()).isEqualTo(200);
    assertThat(MultipartUpload.hex("SHA-256", patient.body())).isEqualTo(sha(wheel));
    assertThat(pypi.fileRequests("slow-1.0-py3-none-any.whl")).isEqualTo(1);
  }

  @Test
  void restartKeepsTheCacheAndOfflineModeServesOnlyIt() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    Path wheel = wheel("kept", "1.0");
    tree.add("kept", wheel);
    tree.add("other", wheel("other", "1.0"));
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer first = TestServer.startWithIndexes(data, groupOf(pypi, ""));
    assertThat(first.get("/simple/kept/").statusCode()).isEqualTo(200);
    assertThat(first.get("/files/pypi/kept/kept-1.0-py3-none-any.whl").statusCode()).isEqualTo(200);
    first.close();
    pypi.stop();

    TestServer offline = server(groupOf(pypi, "") + "offline: true\n");
    assertThat(offline.get("/simple/kept/").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> file = offline.get("/files/pypi/kept/kept-1.0-py3-none-any.whl");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(MultipartUpload.hex("SHA-256", file.body())).isEqualTo(sha(wheel));
    HttpResponse<byte[]> uncached = offline.get("/simple/other/");
    assertThat(uncached.statusCode()).isEqualTo(404);
    assertThat(new String(uncached.body(), StandardCharsets.UTF_8)).contains("offline mode");
  }

  @Test
  void metricsCountHitsMissesAndStalePages() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    tree.add("counted", wheel("counted", "1.0"));
    UpstreamIndex pypi = upstream(tree, UpstreamIndex.Options.defaults());
    TestServer server = server(groupOf(pypi, ""));
    server.get("/simple/counted/");
    server.get("/files/pypi/counted/counted-1.0-py3-none-any.whl");
    server.get("/files/pypi/counted/counted-1.0-py3-none-any.whl");
    String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("wheelhouse_proxy_files_total{index=\"pypi\",result=\"miss\"} 1")
        .contains("wheelhouse_proxy_files_total{index=\"pypi\",result=\"hit\"} 1")
        .contains("wheelhouse_proxy_upstream_bytes_total{index=\"pypi\"}")
        .contains("wheelhouse_proxy_upstream_seconds");
  }

  private Path blobPath(String sha) {
    return data.resolve("blobs").resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha);
  }

  private List<Path> tmpFiles() throws Exception {
    try (var files = Files.list(data.resolve("tmp"))) {
      return files.toList();
    }
  }

  /** Random text: it does not compress, so the wheel really is about this large. */
  static String noise(int bytes) {
    byte[] raw = new byte[bytes];
    new java.util.Random(bytes).nextBytes(raw);
    return java.util.Base64.getEncoder().encodeToString(raw);
  }

  static String sha(Path file) throws Exception {
    return MultipartUpload.hex("SHA-256", Files.readAllBytes(file));
  }

  static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
