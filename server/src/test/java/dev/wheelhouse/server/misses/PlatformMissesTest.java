package dev.wheelhouse.server.misses;

import static dev.wheelhouse.server.misses.PipUserAgentTest.PIP_AMD64;
import static dev.wheelhouse.server.misses.PipUserAgentTest.PIP_ARM64;
import static dev.wheelhouse.server.misses.PipUserAgentTest.PIP_MACOS;
import static dev.wheelhouse.server.misses.PipUserAgentTest.PIP_WINDOWS;
import static dev.wheelhouse.server.misses.PipUserAgentTest.UV_MUSL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.AdminRequests;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misses from the field: pip and uv clients that found no wheel for their platform. */
class PlatformMissesTest {
  static final String PIP_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
          + " text/html; q=0.01";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  Path data;
  UpstreamIndex upstream;
  TestServer server;

  @BeforeEach
  void setUp() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    // Wheels for x86_64 only, and sdists: arm64 clients build from source.
    for (String version : List.of("1.0", "2.0")) {
      Path dir = work.resolve("native" + version);
      tree.add(
          "native", TestWheels.wheel(dir, "native", version, "cp312-cp312-manylinux_2_17_x86_64"));
      tree.add("native", TestWheels.sdist(dir, "native", version));
    }
    tree.add("native", TestWheels.sdist(work.resolve("pre"), "native", "3.0rc1"));
    tree.add("pure", TestWheels.wheel(work.resolve("pure"), "pure", "1.0", "py3-none-any"));
    tree.add("pure", TestWheels.sdist(work.resolve("pure"), "pure", "1.0"));
    upstream = UpstreamIndex.start(tree);
    data = work.resolve("data");
    server = startServer();
  }

  TestServer startServer() throws Exception {
    return TestServer.startWithIndexes(
        data, TestServer.hostedAndProxyIndexes(upstream.simpleUrl()));
  }

  @AfterEach
  void tearDown() {
    server.close();
    upstream.close();
  }

  HttpResponse<byte[]> page(String path, String userAgent) throws Exception {
    HttpResponse<byte[]> page = server.get(path, "Accept", PIP_ACCEPT, "User-Agent", userAgent);
    assertThat(page.statusCode()).isEqualTo(200);
    return page;
  }

  @Test
  void aPageWithoutAWheelForTheClientIsAMissWithTheNewestSdist() throws Exception {
    page("/simple/native/", PIP_AMD64);
    page("/simple/native/", "curl/8.5.0");
    page("/simple/native/", PIP_WINDOWS);
    page("/simple/native/", PIP_MACOS);
    page("/simple/pure/", PIP_ARM64);
    page("/simple/native/", PIP_ARM64);

    JsonNode miss = waitForMisses(1).get(0);
    assertThat(miss.get("index").asText()).isEqualTo("all");
    assertThat(miss.get("project").asText()).isEqualTo("native");
    assertThat(miss.get("platform").asText()).isEqualTo("linux/arm64");
    assertThat(miss.get("python").asText()).isEqualTo("3.12");
    assertThat(miss.get("libc").asText()).isEqualTo("glibc 2.36");
    assertThat(miss.get("count").asLong()).isEqualTo(1);
    assertThat(miss.get("version").asText()).as("the newest final release").isEqualTo("2.0");
    assertThat(Instant.parse(miss.get("first-seen").asText()))
        .isEqualTo(Instant.parse(miss.get("last-seen").asText()));

    // Judged once per few minutes, whatever the number of requests; HTML pages count too.
    page("/simple/native/", PIP_ARM64);
    server.get("/simple/native/", "Accept", "text/html", "User-Agent", PIP_ARM64);
    assertThat(misses()).hasSize(1);
    assertThat(misses().get(0).get("count").asLong()).isEqualTo(1);
    String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("wheelhouse_platform_misses_total{platform=\"linux/arm64\"} 1.0");
    assertThat(metrics)
        .doesNotContain("wheelhouse_platform_misses_total{platform=\"linux/amd64\"}");
  }

  @Test
  void anSdistDownloadRefreshesTheMissWithItsVersion() throws Exception {
    page("/simple/native/", PIP_ARM64);
    assertThat(waitForMisses(1).get(0).get("version").asText()).isEqualTo("2.0");

    HttpResponse<byte[]> sdist =
        server.get("/files/pypi/native/native-1.0.tar.gz", "User-Agent", PIP_ARM64);
    assertThat(sdist.statusCode()).isEqualTo(200);

    List<JsonNode> misses = misses();
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).get("index").asText())
        .as("the group the page came from")
        .isEqualTo("all");
    assertThat(misses.get(0).get("count").asLong()).isEqualTo(2);
    assertThat(misses.get(0).get("version").asText()).isEqualTo("1.0");

    // A download without a page read first, and a wheel download: only the sdist counts.
    assertThat(
            server.get("/files/pypi/native/native-2.0.tar.gz", "User-Agent", UV_MUSL).statusCode())
        .isEqualTo(200);
    assertThat(
            server
                .get(
                    "/files/pypi/native/native-2.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "User-Agent",
                    PIP_ARM64)
                .statusCode())
        .isEqualTo(200);
    misses = misses();
    assertThat(misses).hasSize(2);
    JsonNode musl =
        misses.stream()
            .filter(m -> m.get("libc").asText().startsWith("musl"))
            .findFirst()
            .orElseThrow();
    assertThat(musl.get("index").asText()).isEqualTo("pypi");
    assertThat(musl.get("platform").asText()).isEqualTo("linux/amd64");
    assertThat(musl.get("python").asText()).isEqualTo("3.11");
    assertThat(musl.get("libc").asText()).isEqualTo("musl 1.2");
    assertThat(musl.get("version").asText()).isEqualTo("2.0");
    assertThat(misses.get(0)).as("most recently seen first").isEqualTo(musl);
  }

  @Test
  void hostedProjectsAreJudgedToo() throws Exception {
    Path dir = work.resolve("hosted");
    for (Path file :
        List.of(
            TestWheels.wheel(dir, "inhouse", "1.0", "cp312-cp312-manylinux_2_17_x86_64"),
            TestWheels.sdist(dir, "inhouse", "1.0"))) {
      HttpResponse<String> uploaded =
          MultipartUpload.of(file, "inhouse", "1.0")
              .token(TestServer.UPLOAD_TOKEN)
              .post(server.url() + "/legacy/");
      assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    }

    page("/index/local/simple/inhouse/", PIP_ARM64);

    JsonNode miss = waitForMisses(1).get(0);
    assertThat(miss.get("index").asText()).isEqualTo("local");
    assertThat(miss.get("project").asText()).isEqualTo("inhouse");
    assertThat(miss.get("version").asText()).isEqualTo("1.0");
  }

  @Test
  void deleteClearsAProjectAndOnlyAdminsSeeMisses() throws Exception {
    page("/simple/native/", PIP_ARM64);
    waitForMisses(1);

    assertThat(server.get("/admin/misses").statusCode()).isEqualTo(401);
    assertThat(
            server
                .get("/admin/misses", "Authorization", "Bearer " + TestServer.UPLOAD_TOKEN)
                .statusCode())
        .isEqualTo(403);
    assertThat(server.send("DELETE", "/admin/misses/all/native").statusCode()).isEqualTo(401);

    HttpResponse<String> cleared = AdminRequests.delete(server.url(), "/admin/misses/all/native");
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    assertThat(JSON.readTree(cleared.body()).get("cleared").asInt()).isEqualTo(1);
    assertThat(misses()).isEmpty();
    HttpResponse<String> again = AdminRequests.delete(server.url(), "/admin/misses/all/native");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).contains("no misses recorded for all/native");

    // Cleared projects are judged afresh.
    page("/simple/native/", PIP_ARM64);
    assertThat(waitForMisses(1).get(0).get("count").asLong()).isEqualTo(1);
  }

  @Test
  void sinceFiltersByLastSeen() throws Exception {
    page("/simple/native/", PIP_ARM64);
    waitForMisses(1);

    assertThat(misses("?since=2000-01-01T00:00:00Z")).hasSize(1);
    assertThat(misses("?since=2000-01-01T02:00:00+02:00")).hasSize(1);
    assertThat(misses("?since=2000-01-01")).hasSize(1);
    assertThat(misses("?since=2999-01-01T00:00:00Z")).isEmpty();
    HttpResponse<String> bad = AdminRequests.get(server.url(), "/admin/misses?since=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("ISO-8601");
  }

  @Test
  void countsSurviveARestart() throws Exception {
    page("/simple/native/", PIP_ARM64);
    waitForMisses(1);
    assertThat(
            server
                .get("/files/pypi/native/native-2.0.tar.gz", "User-Agent", PIP_ARM64)
                .statusCode())
        .isEqualTo(200);
    server.close();

    server = startServer();

    List<JsonNode> misses = misses();
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).get("count").asLong()).isEqualTo(2);
    assertThat(misses.get(0).get("version").asText()).isEqualTo("2.0");
  }

  List<JsonNode> misses() throws Exception {
    return misses("");
  }

  List<JsonNode> misses(String query) throws Exception {
    HttpResponse<String> answer = AdminRequests.get(server.url(), "/admin/misses" + query);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<JsonNode> rows = new ArrayList<>();
    JSON.readTree(answer.body()).get("misses").forEach(rows::add);
    return rows;
  }

  /** Pages are judged after they are sent, on a worker: waits until {@code count} misses show. */
  List<JsonNode> waitForMisses(int count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<JsonNode> rows = misses();
      if (rows.size() >= count || System.nanoTime() > deadline) {
        assertThat(rows).hasSize(count);
        return rows;
      }
      Thread.sleep(50);
    }
  }
}
