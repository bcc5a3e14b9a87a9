package dev.wheelhouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads {@code GET /} of a real server in headless Chromium and checks what the rendered page shows
 * against what the test put in the store and what {@code /metrics} says.
 */
class HomePageChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final long BROWSER_TIMEOUT_SECONDS = 90;
  // Lets a prune select uploads of local, so the last prune has something to show.
  private static final String CONFIG = "prune:\n  hosted: [local]\n";

  @TempDir Path data;
  @TempDir Path work;

  private int browserRuns;

  @BeforeEach
  void needsChromium() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM),
        "headless Chromium not found at "
            + CHROMIUM
            + ": install Debian's chromium package (apt-get install chromium) to run this test");
  }

  @Test
  void pageShowsWhatTheStoreHolds() throws Exception {
    // local: alpha 1.0 and 1.1, beta 1.0 (the largest project); extra: gamma 1.0.
    Path alpha10 = TestWheels.wheel(work.resolve("w"), "alpha", "1.0", "py3-none-any");
    Path alpha11 = TestWheels.wheel(work.resolve("w"), "alpha", "1.1", "py3-none-any");
    Path beta =
        TestWheels.wheel(
            work.resolve("w"),
            "beta",
            "1.0",
            "py3-none-any",
            Map.of(),
            Map.of("beta/data.txt", incompressible(64 * 1024)));
    Path gamma = TestWheels.wheel(work.resolve("w"), "gamma", "1.0", "py3-none-any");
    long localBytes = Files.size(alpha10) + Files.size(alpha11) + Files.size(beta);
    long extraBytes = Files.size(gamma);
    assertThat(Files.size(beta)).isGreaterThan(Files.size(alpha10) + Files.size(alpha11));

    Map<Path, Integer> downloads = new LinkedHashMap<>();
    downloads.put(alpha10, 3);
    downloads.put(beta, 1);
    downloads.put(gamma, 2);
    long servedBytes = 0;

    try (TestServer server = TestServer.start(data, CONFIG)) {
      assertThat(server.upload(alpha10, "alpha", "1.0").statusCode()).isEqualTo(200);
      assertThat(server.upload(alpha11, "alpha", "1.1").statusCode()).isEqualTo(200);
      assertThat(server.upload(beta, "beta", "1.0").statusCode()).isEqualTo(200);
      assertThat(
              MultipartUpload.of(gamma, "gamma", "1.0")
                  .token(TestServer.UPLOAD_TOKEN)
                  .post(server.url() + "/index/extra/legacy/")
                  .statusCode())
          .isEqualTo(200);
      for (Map.Entry<Path, Integer> download : downloads.entrySet()) {
        for (int i = 0; i < download.getValue(); i++) {
          byte[] body = server.get(fileUrl(download.getKey())).body();
          assertThat(body).isEqualTo(Files.readAllBytes(download.getKey()));
          servedBytes += body.length;
        }
      }

      Document page = browse(server.url() + "/");

      assertThat(page.title()).isEqualTo("wheelhouse");
      assertThat(page.select("script")).as("no JavaScript").isEmpty();
      assertThat(page.selectFirst("p code").text())
          .startsWith("pip install --index-url " + server.url() + "/simple/");
      assertThat(page.select("#indexes tbody tr").eachAttr("data-name"))
          .containsExactly("local", "extra", "all");

      assertThat(storageRows(page))
          .containsExactly(
              new Row("extra", "hosted", 1, extraBytes), new Row("local", "hosted", 3, localBytes));
      Element total = page.selectFirst("#storage tfoot tr");
      assertThat(number(total, "files")).isEqualTo(4);
      assertThat(number(total, "bytes")).isEqualTo(localBytes + extraBytes);
      assertThat(number(page.getElementById("totals"), "entries")).isEqualTo(4);
      assertThat(number(page.getElementById("totals"), "bytes")).isEqualTo(localBytes + extraBytes);
      Element localSize = page.selectFirst("#storage tr[data-name=local] td[data-bytes]");
      assertThat(localSize.text()).isEqualTo(HomePage.human(localBytes)).endsWith("KiB");

      Element largest = page.selectFirst("#largest tbody tr");
      assertThat(largest.attr("data-index")).isEqualTo("local");
      assertThat(largest.attr("data-project")).isEqualTo("beta");
      assertThat(number(largest, "files")).isEqualTo(1);
      assertThat(number(largest, "bytes")).isEqualTo(Files.size(beta));
      assertThat(page.select("#largest tbody tr").eachAttr("data-project"))
          .containsExactly("beta", "alpha", "gamma");

      // Blob totals as /metrics has them: each wheel and its METADATA.
      String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
      Element totals = page.getElementById("totals");
      assertThat(number(totals, "blobs"))
          .isEqualTo(gauge(metrics, "wheelhouse_blobs"))
          .isEqualTo(8);
      assertThat(number(totals, "blob-bytes")).isEqualTo(gauge(metrics, "wheelhouse_blob_bytes"));

      // Hosted indexes only: files served, nothing fetched, no cache lookups.
      Element traffic = page.getElementById("traffic");
      assertThat(number(traffic, "served-bytes")).isEqualTo(servedBytes);
      assertThat(number(traffic, "fetched-bytes")).isZero();
      assertThat(number(traffic, "saved-bytes")).isEqualTo(servedBytes);
      assertThat(traffic.selectFirst("[data-hit-ratio]").attr("data-hit-ratio")).isEmpty();

      assertThat(page.getElementById("last-prune").attr("data-ran")).isEqualTo("false");
      assertThat(page.getElementById("last-prune").text()).contains("never");
    }

    // Shutting down writes the pending access counts: the restarted server shows every download.
    Instant restarted;
    try (TestServer server = TestServer.start(data, CONFIG)) {
      restarted = Instant.now();
      JsonObject prune = dryRunPrune(server, "{\"maxSize\": \"1KB\"}");
      Document page = browse(server.url() + "/");

      Element lastPrune = page.getElementById("last-prune");
      assertThat(lastPrune.attr("data-ran")).isEqualTo("true");
      assertThat(lastPrune.selectFirst("td[data-applied]").attr("data-applied")).isEqualTo("false");
      assertThat(lastPrune.selectFirst("td[data-applied]").text()).isEqualTo("dry run");
      assertThat(number(lastPrune, "entries-selected"))
          .isEqualTo(prune.getLong("entriesSelected"))
          .isPositive();
      assertThat(number(lastPrune, "bytes-selected")).isEqualTo(prune.getLong("bytesSelected"));
      assertThat(number(lastPrune, "bytes-freed")).isZero();
      assertThat(
              Instant.parse(lastPrune.selectFirst("td[data-finished-at]").attr("data-finished-at")))
          .isEqualTo(Instant.parse(prune.getString("finishedAt")));

      assertThat(storageRows(page))
          .containsExactly(
              new Row("extra", "hosted", 1, extraBytes), new Row("local", "hosted", 3, localBytes));
      Element local = page.selectFirst("#storage tr[data-name=local]");
      Element extra = page.selectFirst("#storage tr[data-name=extra]");
      assertThat(number(local, "hits")).isEqualTo(4);
      assertThat(number(extra, "hits")).isEqualTo(2);
      assertThat(number(page.selectFirst("#storage tfoot tr"), "hits")).isEqualTo(6);
      for (Element row : List.of(local, extra)) {
        Instant last =
            Instant.parse(row.selectFirst("td[data-last-access]").attr("data-last-access"));
        assertThat(last).isBefore(restarted).isAfter(restarted.minusSeconds(600));
        assertThat(row.selectFirst("td[data-last-access] time").text()).endsWith(" UTC");
      }
      // Traffic counts since this start.
      assertThat(number(page.getElementById("traffic"), "served-bytes")).isZero();
    }
  }

  /** Runs {@code POST /admin/prune} (a dry run unless the body applies) and returns its report. */
  private static JsonObject dryRunPrune(TestServer server, String body) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/admin/prune"))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> lines = response.body().lines().filter(line -> !line.isBlank()).toList();
    JsonObject result = new JsonObject(lines.get(lines.size() - 1));
    assertThat(result.getString("type")).as(response.body()).isEqualTo("result");
    return result.getJsonObject("report");
  }

  private record Row(String name, String kind, long files, long bytes) {}

  private static List<Row> storageRows(Document page) {
    List<Row> rows = new ArrayList<>();
    for (Element row : page.select("#storage tbody tr[data-name]")) {
      rows.add(
          new Row(
              row.attr("data-name"),
              row.attr("data-kind"),
              number(row, "files"),
              number(row, "bytes")));
    }
    return rows;
  }

  /** The raw number in the {@code data-NAME} attribute of the one cell under {@code parent}. */
  private static long number(Element parent, String name) {
    List<Element> cells = parent.select("td[data-" + name + "]");
    assertThat(cells).as("cells with data-%s under %s", name, parent.id()).hasSize(1);
    return Long.parseLong(cells.get(0).attr("data-" + name));
  }

  private static long gauge(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static String fileUrl(Path wheel) {
    String filename = wheel.getFileName().toString();
    String project = filename.substring(0, filename.indexOf('-'));
    String index = project.equals("gamma") ? "extra" : "local";
    return "/files/" + index + "/" + project + "/" + filename;
  }

  /**
   * Text that deflate cannot shrink much, so the wheel holding it is large: hex of a hash chain.
   */
  private static String incompressible(int length) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    StringBuilder text = new StringBuilder(length + 64);
    byte[] state = "beta".getBytes(StandardCharsets.UTF_8);
    while (text.length() < length) {
      state = sha.digest(state);
      text.append(java.util.HexFormat.of().formatHex(state));
    }
    return text.substring(0, length);
  }

  /**
   * The DOM of {@code url} once headless Chromium has loaded it. Chromium runs with its own profile
   * directory and a time limit, and every process it started is killed at the end.
   */
  private Document browse(String url) throws IOException, InterruptedException {
    int run = ++browserRuns;
    Path profile = Files.createDirectories(work.resolve("chromium-profile-" + run));
    Path dom = work.resolve("dom-" + run + ".html");
    Path log = work.resolve("chromium-" + run + ".log");
    Process chromium =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox", // needed as root (CI containers)
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--no-proxy-server",
                "--user-data-dir=" + profile,
                "--dump-dom",
                url)
            .redirectOutput(dom.toFile())
            .redirectError(log.toFile())
            .start();
    try {
      if (!chromium.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail(
            "chromium did not finish in " + BROWSER_TIMEOUT_SECONDS + " s; its log:\n" + tail(log));
      }
      assertThat(chromium.exitValue()).as("chromium exit status; its log:\n%s", tail(log)).isZero();
    } finally {
      // Children first: once the browser process is gone they are no longer its descendants.
      chromium.descendants().forEach(ProcessHandle::destroyForcibly);
      chromium.destroyForcibly();
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
        fail("chromium did not stop after being killed");
      }
    }
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    assertThat(html).as("DOM dumped by chromium; its log:\n%s", tail(log)).contains("<body");
    return Jsoup.parse(html, url);
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
