package dev.wheelhouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.AdminRequests;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The home page's recent builds and platforms without wheels, from a real server over HTTP. */
class HomePageRecentActivityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PIP_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1";
  private static final String PIP_ARM64 =
      "pip/24.0 {\"ci\":null,\"cpu\":\"aarch64\",\"distro\":{\"id\":\"bookworm\",\"libc\":"
          + "{\"lib\":\"glibc\",\"version\":\"2.36\"},\"name\":\"Debian GNU/Linux\",\"version\":"
          + "\"12\"},\"implementation\":{\"name\":\"CPython\",\"version\":\"3.12.1\"},\"installer\":"
          + "{\"name\":\"pip\",\"version\":\"24.0\"},\"python\":\"3.12.1\",\"system\":"
          + "{\"name\":\"Linux\",\"release\":\"6.1.0-18-arm64\"}}";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String HOSTILE_SOURCE =
      "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&";
  private static final String ALPHA = "alpha-1.0-cp312-cp312-manylinux_2_17_aarch64.whl";
  private static final String BETA = "beta-1.0-py3-none-any.whl";
  private static final String GAMMA = "gamma-1.0-py3-none-any.whl";
  private static final Pattern DISTRIBUTION = Pattern.compile("([a-z]+)-([0-9.]+?)(?:-|\\.tar)");

  @TempDir Path data;
  @TempDir Path work;

  @Test
  void showsTheLatestBuildsAndThePlatformsWithoutWheels() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      Instant start = Instant.now();
      // alpha: built first, emulated, with a log; beta: built later, a hostile source, no log;
      // gamma: no built-at, so its upload time (now) ranks it first; delta: no provenance.
      byte[] log = "step 1: compiling alpha\n".getBytes(StandardCharsets.UTF_8);
      post(
          server,
          upload(TestWheels.wheel(work, "alpha", "1.0", "cp312-cp312-manylinux_2_17_aarch64"))
              .field(
                  "provenance",
                  "{\"source\":\"git+https://git.example/group/alpha@"
                      + COMMIT
                      + "\",\"platform\":\"linux/arm64\",\"python\":\"3.12\","
                      + "\"emulated\":true,\"duration-seconds\":42.5,"
                      + "\"built-at\":\"2026-01-02T03:04:05Z\"}")
              .attach("build_log", "build.log", "text/plain; charset=utf-8", log));
      post(
          server,
          upload(TestWheels.wheel(work, "beta", "1.0", "py3-none-any"))
              .field(
                  "provenance",
                  "{\"source\":"
                      + JSON.writeValueAsString(HOSTILE_SOURCE)
                      + ",\"platform\":\"linux/amd64\",\"python\":\"3.11\","
                      + "\"emulated\":false,\"duration-seconds\":125,"
                      + "\"built-at\":\"2026-01-03T00:00:00+01:00\"}"));
      post(
          server,
          upload(TestWheels.wheel(work, "gamma", "1.0", "py3-none-any")).field("provenance", "{}"));
      post(server, upload(TestWheels.wheel(work, "delta", "1.0", "py3-none-any")));
      // native: a wheel for x86_64 only, and an sdist an aarch64 client would build.
      Path nativeDir = work.resolve("native");
      post(
          server,
          upload(
              TestWheels.wheel(nativeDir, "native", "2.0", "cp312-cp312-manylinux_2_17_x86_64")));
      post(server, upload(TestWheels.sdist(nativeDir, "native", "2.0")));
      HttpResponse<byte[]> page =
          server.get("/index/local/simple/native/", "Accept", PIP_ACCEPT, "User-Agent", PIP_ARM64);
      assertThat(page.statusCode()).isEqualTo(200);
      waitForMisses(server, 1);

      String html = new String(server.get("/").body(), StandardCharsets.UTF_8);
      Document home = Jsoup.parse(html);

      assertThat(home.select("script, img")).as("hostile provenance is text").isEmpty();
      assertThat(html).doesNotContain("<script>").doesNotContain("<img");
      assertThat(home.select("#builds tbody tr").eachAttr("data-file"))
          .containsExactly(GAMMA, BETA, ALPHA);

      Element gamma = build(home, GAMMA);
      Instant gammaBuilt =
          Instant.parse(gamma.selectFirst("[data-built-at]").attr("data-built-at"));
      assertThat(gammaBuilt).isBetween(start.minusSeconds(1), Instant.now());
      assertThat(gamma.child(2).text()).as("no platform said").isEmpty();
      assertThat(gamma.selectFirst("[data-emulated]").text()).isEmpty();

      Element beta = build(home, BETA);
      assertThat(beta.selectFirst("td[title]").attr("title")).isEqualTo(HOSTILE_SOURCE);
      assertThat(beta.selectFirst("td[title]").text())
          .isEqualTo(RecentTables.shortened(HOSTILE_SOURCE, RecentTables.SOURCE_SHOWN));
      assertThat(beta.child(2).text()).isEqualTo("linux/amd64");
      assertThat(beta.child(3).text()).isEqualTo("3.11");
      assertThat(beta.selectFirst("[data-emulated]").text()).isEqualTo("no");
      assertThat(beta.selectFirst("[data-duration-seconds]").text()).isEqualTo("2 min 05 s");
      assertThat(beta.selectFirst("[data-built-at]").attr("data-built-at"))
          .isEqualTo("2026-01-02T23:00:00Z");
      assertThat(beta.select("a")).as("no log link without a log").hasSize(1);

      Element alpha = build(home, ALPHA);
      assertThat(alpha.child(1).text()).isEqualTo("local");
      assertThat(alpha.child(2).text()).isEqualTo("linux/arm64");
      assertThat(alpha.child(3).text()).isEqualTo("3.12");
      String source = "git+https://git.example/group/alpha@" + COMMIT;
      assertThat(alpha.selectFirst("td[title]").attr("title")).isEqualTo(source);
      assertThat(alpha.selectFirst("td[title]").text())
          .hasSize(RecentTables.SOURCE_SHOWN)
          .startsWith("git+https://")
          .endsWith(COMMIT.substring(COMMIT.length() - 20));
      assertThat(alpha.selectFirst("[data-emulated]").text()).isEqualTo("yes");
      assertThat(alpha.selectFirst("[data-duration-seconds]").text()).isEqualTo("42.5 s");
      assertThat(alpha.selectFirst("time").text()).isEqualTo("2026-01-02 03:04:05 UTC");

      // The links lead to the provenance document and the log.
      String document = alpha.selectFirst("a").attr("href");
      assertThat(document).isEqualTo("/provenance/local/" + ALPHA);
      JsonNode provenance = JSON.readTree(server.get(document).body());
      assertThat(provenance.get("filename").asText()).isEqualTo(ALPHA);
      String logLink = alpha.selectFirst("a:containsOwn(log)").attr("href");
      assertThat(URI.create(logLink).getPath()).isEqualTo(document + "/log");
      assertThat(server.get(logLink).body()).isEqualTo(log);

      List<Element> misses = home.select("#misses tbody tr");
      assertThat(misses).hasSize(1);
      Element miss = misses.get(0);
      assertThat(miss.attr("data-project")).isEqualTo("native");
      assertThat(miss.children().eachText())
          .containsExactly(
              "native",
              "local",
              "linux/arm64",
              "3.12",
              "glibc 2.36",
              "1",
              miss.selectFirst("time").text(),
              "2.0");
      Instant lastSeen = Instant.parse(miss.selectFirst("[data-last-seen]").attr("data-last-seen"));
      assertThat(lastSeen).isBetween(start.minusSeconds(1), Instant.now());
      assertThat(home.getElementById("misses-hint").text())
          .isEqualTo("wheelhouse build --missing builds them.");
    }
  }

  @Test
  void aServerWithPrivateReadsShowsThemOnlyToReaders() throws Exception {
    try (TestServer server = TestServer.startPrivate(data)) {
      post(
          server,
          upload(TestWheels.wheel(work, "alpha", "1.0", "py3-none-any"))
              .field("provenance", "{\"built-at\":\"2026-01-02T03:04:05Z\"}"));

      Document anonymous = Jsoup.parse(new String(server.get("/").body(), StandardCharsets.UTF_8));
      Document badToken =
          Jsoup.parse(
              new String(
                  server.get("/", "Authorization", "Bearer wh_not-a-token").body(),
                  StandardCharsets.UTF_8));
      Document reader =
          Jsoup.parse(
              new String(
                  server.get("/", "Authorization", "Bearer " + TestServer.READ_TOKEN).body(),
                  StandardCharsets.UTF_8));

      assertThat(anonymous.getElementById("storage")).as("the rest of the page").isNotNull();
      assertThat(anonymous.getElementById("builds")).isNull();
      assertThat(badToken.getElementById("builds")).isNull();
      assertThat(reader.select("#builds tbody tr").eachAttr("data-file"))
          .containsExactly("alpha-1.0-py3-none-any.whl");
      assertThat(reader.getElementById("misses")).as("no misses yet").isNull();
    }
  }

  @Test
  void aStoreWithoutBuildsOrMissesShowsNeitherTable() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      post(server, upload(TestWheels.wheel(work, "plain", "1.0", "py3-none-any")));

      Document home = Jsoup.parse(new String(server.get("/").body(), StandardCharsets.UTF_8));

      assertThat(home.getElementById("storage")).isNotNull();
      assertThat(home.select("#builds, #misses, #misses-hint")).isEmpty();
      assertThat(home.text()).doesNotContain("Recent builds").doesNotContain("without wheels");
    }
  }

  private static Element build(Document home, String filename) {
    return home.selectFirst("#builds tbody tr[data-file=\"" + filename + "\"]");
  }

  /** An upload of {@code file}, named {@code project-version...}, with the upload token. */
  private static MultipartUpload upload(Path file) throws IOException {
    Matcher name = DISTRIBUTION.matcher(file.getFileName().toString());
    assertThat(name.lookingAt()).isTrue();
    return MultipartUpload.of(file, name.group(1), name.group(2)).token(TestServer.UPLOAD_TOKEN);
  }

  private static void post(TestServer server, MultipartUpload upload) throws Exception {
    HttpResponse<String> uploaded = upload.post(server.url() + "/legacy/");
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
  }

  /** Pages are judged on a worker after they are sent: waits until {@code count} misses show. */
  private static void waitForMisses(TestServer server, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> answer = AdminRequests.get(server.url(), "/admin/misses");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      int found = JSON.readTree(answer.body()).get("misses").size();
      if (found >= count || System.nanoTime() > deadline) {
        assertThat(found).isEqualTo(count);
        return;
      }
      Thread.sleep(50);
    }
  }
}
