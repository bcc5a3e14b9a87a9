package dev.wheelhouse.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.UpstreamTree.FileOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamIndexTest {
  static final String PIP_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
          + " text/html; q=0.01";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern HREF = Pattern.compile("<a href=\"([^\"]*)\"([^>]*)>([^<]*)</a>");

  @TempDir Path work;

  HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
    return send("GET", uri, headers);
  }

  HttpResponse<byte[]> send(String method, URI uri, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    return UpstreamTree.hex(UpstreamTree.sha256(bytes));
  }

  /** The first link on an HTML page: {href, attributes, text}. */
  static String[] firstLink(HttpResponse<byte[]> page) {
    Matcher m = HREF.matcher(text(page));
    assertThat(m.find()).as("a link on %s", text(page)).isTrue();
    return new String[] {m.group(1), m.group(2), m.group(3)};
  }

  Path blob(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    Path file = work.resolve("dists").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  @Test
  void negotiatesJsonAndHtmlLikePypi() throws Exception {
    Path wheel =
        TestWheels.wheel(
            work.resolve("dists"),
            "Tiny_Pkg",
            "1.0",
            "py3-none-any",
            Map.of("Requires-Python", ">=3.8"));
    Path sdist = TestWheels.sdist(work.resolve("dists"), "Tiny_Pkg", "1.1");
    Instant uploaded = Instant.parse("2024-03-04T05:06:07.123456Z");
    UpstreamTree tree =
        UpstreamTree.in(work.resolve("tree"))
            .add(
                "Tiny_Pkg",
                wheel,
                FileOptions.defaults()
                    .requiresPython(">=3.8")
                    .withCoreMetadata()
                    .uploadTime(uploaded))
            .add("tiny-pkg", sdist);
    try (UpstreamIndex index = UpstreamIndex.start(tree)) {
      URI page = index.simpleUrl().resolve("tiny-pkg/");
      assertThat(page).isEqualTo(index.projectUrl("Tiny.Pkg"));

      HttpResponse<byte[]> json = get(page, "Accept", PIP_ACCEPT);
      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.headers().firstValue("Content-Type"))
          .hasValue("application/vnd.pypi.simple.v1+json");
      assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
      JsonNode project = JSON.readTree(json.body());
      assertThat(project.path("meta").path("api-version").asText()).isEqualTo("1.1");
      assertThat(project.path("name").asText()).isEqualTo("tiny-pkg");
      assertThat(project.path("versions").toString()).isEqualTo("[\"1.0\",\"1.1\"]");
      JsonNode file = project.path("files").get(0);
      byte[] wheelBytes = Files.readAllBytes(wheel);
      byte[] metadata = TestWheels.metadataOf(wheel);
      assertThat(file.path("filename").asText()).isEqualTo(wheel.getFileName().toString());
      assertThat(file.path("hashes").path("sha256").asText()).isEqualTo(sha256(wheelBytes));
      assertThat(file.path("requires-python").asText()).isEqualTo(">=3.8");
      assertThat(file.path("yanked").asBoolean(true)).isFalse();
      assertThat(file.path("core-metadata").path("sha256").asText()).isEqualTo(sha256(metadata));
      assertThat(file.path("size").asLong()).isEqualTo(wheelBytes.length);
      assertThat(file.path("upload-time").asText()).isEqualTo("2024-03-04T05:06:07.123456Z");
      assertThat(file.has("dist-info-metadata")).isFalse();
      JsonNode sdistFile = project.path("files").get(1);
      assertThat(sdistFile.path("requires-python").isNull()).isTrue();
      assertThat(sdistFile.path("core-metadata").asBoolean(true)).isFalse();
      assertThat(sdistFile.path("upload-time").asText()).isEqualTo("2024-01-01T00:00:00.000000Z");

      URI fileUrl = page.resolve(file.path("url").asText());
      assertThat(get(fileUrl).body()).isEqualTo(wheelBytes);
      assertThat(get(URI.create(fileUrl + ".metadata")).body()).isEqualTo(metadata);

      for (String accept : new String[] {"text/html", "*/*", "text/*"}) {
        HttpResponse<byte[]> html = get(page, "Accept", accept);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      }
      HttpResponse<byte[]> html = get(page); // no Accept: text/html, as PyPI
      assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      String body = text(html);
      assertThat(body).contains("<meta name=\"pypi:repository-version\" content=\"1.1\">");
      String[] link = firstLink(html);
      assertThat(link[0])
          .isEqualTo("../../files/" + wheel.getFileName() + "#sha256=" + sha256(wheelBytes));
      assertThat(link[1])
          .contains("data-requires-python=\"&gt;=3.8\"")
          .contains("data-core-metadata=\"sha256=" + sha256(metadata) + "\"")
          .contains("data-dist-info-metadata=\"sha256=" + sha256(metadata) + "\"");
      assertThat(link[2]).isEqualTo(wheel.getFileName().toString());

      assertThat(
              get(page, "Accept", "application/vnd.pypi.simple.v1+html")
                  .headers()
                  .firstValue("Content-Type"))
          .hasValue("application/vnd.pypi.simple.v1+html");
      // q-values decide, not the order.
      assertThat(
              get(page, "Accept", "text/html;q=0.5, application/vnd.pypi.simple.v1+json")
                  .headers()
                  .firstValue("Content-Type"))
          .hasValue("application/vnd.pypi.simple.v1+json");
      assertThat(get(page, "Accept", "application/json").statusCode()).isEqualTo(406);

      HttpResponse<byte[]> root = get(index.simpleUrl(), "Accept", PIP_ACCEPT);
      assertThat(JSON.readTree(root.body()).path("projects").get(0).path("name").asText())
          .isEqualTo("tiny-pkg");
      assertThat(text(get(index.simpleUrl()))).contains("<a href=\"tiny-pkg/\">tiny-pkg</a>");
    }
  }

  @Test
  void redirectsToTheSlashAndNormalizedFormsAnd404sUnknownProjects() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "Tiny_Pkg", "1.0", "py3-none-any");
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("Tiny_Pkg", wheel))) {
      HttpResponse<byte[]> noSlash = get(URI.create(index.baseUrl() + "/simple/tiny-pkg"));
      assertThat(noSlash.statusCode()).isEqualTo(301);
      assertThat(noSlash.headers().firstValue("Location")).hasValue("/simple/tiny-pkg/");
      HttpResponse<byte[]> unnormalized = get(URI.create(index.baseUrl() + "/simple/Tiny_Pkg/"));
      assertThat(unnormalized.statusCode()).isEqualTo(301);
      assertThat(unnormalized.headers().firstValue("Location")).hasValue("/simple/tiny-pkg/");
      assertThat(get(URI.create(index.baseUrl() + "/simple")).headers().firstValue("Location"))
          .hasValue("/simple/");
      assertThat(get(index.simpleUrl().resolve("nope/")).statusCode()).isEqualTo(404);
      assertThat(get(index.simpleUrl().resolve("nope/"), "Accept", PIP_ACCEPT).statusCode())
          .isEqualTo(404);
      assertThat(get(URI.create(index.baseUrl() + "/files/nope.whl")).statusCode()).isEqualTo(404);
      assertThat(send("POST", index.projectUrl("tiny-pkg")).statusCode()).isEqualTo(405);
    }
  }

  @Test
  void revalidationAnswers304UntilThePageChanges() throws Exception {
    Path dists = work.resolve("dists");
    UpstreamTree tree =
        UpstreamTree.in(work.resolve("tree"))
            .add("foo", TestWheels.wheel(dists, "foo", "1.0", "py3-none-any"));
    try (UpstreamIndex index = UpstreamIndex.start(tree)) {
      URI page = index.projectUrl("foo");
      for (String accept : new String[] {PIP_ACCEPT, "text/html"}) {
        HttpResponse<byte[]> first = get(page, "Accept", accept);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(etag).isEqualTo("\"" + sha256(first.body()) + "\"");
        assertThat(lastModified).endsWith(" GMT");

        HttpResponse<byte[]> byEtag = get(page, "Accept", accept, "If-None-Match", etag);
        assertThat(byEtag.statusCode()).isEqualTo(304);
        assertThat(byEtag.body()).isEmpty();
        assertThat(byEtag.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get(page, "Accept", accept, "If-Modified-Since", lastModified).statusCode())
            .isEqualTo(304);
        assertThat(get(page, "Accept", accept, "If-None-Match", "\"other\"").statusCode())
            .isEqualTo(200);
      }
      HttpResponse<byte[]> json = get(page, "Accept", PIP_ACCEPT);
      HttpResponse<byte[]> html = get(page);
      assertThat(json.headers().firstValue("ETag")).isNotEqualTo(html.headers().firstValue("ETag"));

      // A change within the same second still moves Last-Modified on.
      tree.add("foo", TestWheels.wheel(dists, "foo", "1.1", "py3-none-any"));
      String oldEtag = json.headers().firstValue("ETag").orElseThrow();
      String oldModified = json.headers().firstValue("Last-Modified").orElseThrow();
      HttpResponse<byte[]> changed = get(page, "Accept", PIP_ACCEPT, "If-None-Match", oldEtag);
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(changed.body()).path("versions").size()).isEqualTo(2);
      assertThat(get(page, "Accept", PIP_ACCEPT, "If-Modified-Since", oldModified).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void pytorchModeIsHtmlOnlyUnderAPrefixAndForbidsUnknownProjects() throws Exception {
    Path wheel =
        TestWheels.wheel(work.resolve("dists"), "torch", "2.1.0+cu121", "cp311-cp311-linux_x86_64");
    UpstreamTree tree =
        UpstreamTree.in(work.resolve("tree"))
            .add("torch", wheel, FileOptions.defaults().rootRelativeLink().omitHash());
    try (UpstreamIndex index =
        UpstreamIndex.start(tree, UpstreamIndex.Options.pytorch("/whl/cu121"))) {
      assertThat(index.simpleUrl()).isEqualTo(URI.create(index.baseUrl() + "/whl/cu121/"));
      URI page = index.simpleUrl().resolve("torch/");
      HttpResponse<byte[]> html = get(page, "Accept", PIP_ACCEPT);
      assertThat(html.statusCode()).isEqualTo(200);
      assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(html.headers().firstValue("Vary")).isEmpty();
      String[] link = firstLink(html);
      assertThat(link[0]).isEqualTo("/files/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl");
      assertThat(link[2]).isEqualTo("torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl");
      assertThat(get(page.resolve(link[0])).body()).isEqualTo(Files.readAllBytes(wheel));

      assertThat(get(index.simpleUrl().resolve("nope/"), "Accept", PIP_ACCEPT).statusCode())
          .isEqualTo(403);
      HttpResponse<byte[]> noSlash = get(URI.create(index.baseUrl() + "/whl/cu121/torch"));
      assertThat(noSlash.statusCode()).isEqualTo(301);
      assertThat(noSlash.headers().firstValue("Location")).hasValue("/whl/cu121/torch/");
      assertThat(get(URI.create(index.baseUrl() + "/simple/torch/")).statusCode()).isEqualTo(404);
      assertThat(index.requests("/whl/cu121/torch/")).isEqualTo(1);
      assertThat(index.requests("/whl/cu121/nope/")).isEqualTo(1);
    }
  }

  @Test
  void plusInFilenamesIsReachableAsPlusAndPercent2B() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "torch", "2.1.0+cpu", "py3-none-any");
    String name = wheel.getFileName().toString();
    byte[] bytes = Files.readAllBytes(wheel);
    UpstreamTree tree = UpstreamTree.in(work.resolve("tree")).add("torch", wheel);
    try (UpstreamIndex index = UpstreamIndex.start(tree)) {
      assertThat(firstLink(get(index.projectUrl("torch")))[0])
          .startsWith("../../files/torch-2.1.0%2Bcpu-py3-none-any.whl#sha256=");
      HttpResponse<byte[]> plus = get(URI.create(index.baseUrl() + "/files/" + name));
      HttpResponse<byte[]> encoded =
          get(URI.create(index.baseUrl() + "/files/" + name.replace("+", "%2B")));
      HttpResponse<byte[]> lower =
          get(URI.create(index.baseUrl() + "/files/" + name.replace("+", "%2b")));
      assertThat(plus.statusCode()).isEqualTo(200);
      assertThat(plus.body()).isEqualTo(bytes);
      assertThat(encoded.body()).isEqualTo(bytes);
      assertThat(lower.body()).isEqualTo(bytes);
      assertThat(
              get(URI.create(index.baseUrl() + "/files/" + name.replace("+", "%20"))).statusCode())
          .isEqualTo(404);
      assertThat(index.fileRequests(name)).isEqualTo(3);
      assertThat(index.requests("/files/" + name)).isEqualTo(3);
      assertThat(index.requestLog())
          .anyMatch(l -> l.startsWith("GET /files/torch-2.1.0%2Bcpu-py3-none-any.whl "));

      tree.add("torch", wheel, FileOptions.defaults().literalPlus());
      assertThat(firstLink(get(index.projectUrl("torch")))[0])
          .startsWith("../../files/torch-2.1.0+cpu-py3-none-any.whl#sha256=");
    }
  }

  @Test
  void absoluteLinksPointAtASecondIndex() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "foo", "1.0", "py3-none-any");
    String name = wheel.getFileName().toString();
    try (UpstreamIndex files =
            UpstreamIndex.start(UpstreamTree.in(work.resolve("files-host")).host(wheel, true));
        UpstreamIndex pages =
            UpstreamIndex.start(
                UpstreamTree.in(work.resolve("pages"))
                    .add("foo", wheel, FileOptions.defaults().absoluteLinkOn(files.baseUrl())))) {
      HttpResponse<byte[]> page = get(pages.projectUrl("foo"), "Accept", PIP_ACCEPT);
      String url = JSON.readTree(page.body()).path("files").get(0).path("url").asText();
      assertThat(url).isEqualTo(files.baseUrl() + "/files/" + name);
      assertThat(firstLink(get(pages.projectUrl("foo")))[0]).startsWith(url + "#sha256=");
      assertThat(get(URI.create(url)).body()).isEqualTo(Files.readAllBytes(wheel));
      assertThat(get(URI.create(url + ".metadata")).body()).isEqualTo(TestWheels.metadataOf(wheel));
      assertThat(files.fileRequests(name)).isEqualTo(1);
      assertThat(pages.fileRequests(name)).isZero();
      // The pages host does not have the file.
      assertThat(get(URI.create(pages.baseUrl() + "/files/" + name)).statusCode()).isEqualTo(404);
      // The files host lists nothing.
      assertThat(get(files.projectUrl("foo")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void omitHashAndYankedAreWrittenToBothFormats() throws Exception {
    Path dists = work.resolve("dists");
    UpstreamTree tree =
        UpstreamTree.in(work.resolve("tree"))
            .add(
                "foo",
                TestWheels.wheel(dists, "foo", "1.0", "py3-none-any"),
                FileOptions.defaults().omitHash().yanked("broken <build> & \"more\""))
            .add(
                "foo",
                TestWheels.wheel(dists, "foo", "1.1", "py3-none-any"),
                FileOptions.defaults().yanked().withoutUploadTime());
    try (UpstreamIndex index = UpstreamIndex.start(tree)) {
      String html = text(get(index.projectUrl("foo")));
      assertThat(html)
          .contains(
              "<a href=\"../../files/foo-1.0-py3-none-any.whl\""
                  + " data-yanked=\"broken &lt;build&gt; &amp; &quot;more&quot;\">")
          .contains("data-yanked=\"\">foo-1.1-py3-none-any.whl</a>");
      JsonNode files =
          JSON.readTree(get(index.projectUrl("foo"), "Accept", PIP_ACCEPT).body()).path("files");
      assertThat(files.get(0).path("hashes").isObject()).isTrue();
      assertThat(files.get(0).path("hashes").size()).isZero();
      assertThat(files.get(0).path("url").asText())
          .isEqualTo("../../files/foo-1.0-py3-none-any.whl");
      assertThat(files.get(0).path("yanked").asText()).isEqualTo("broken <build> & \"more\"");
      assertThat(files.get(1).path("yanked").isBoolean()).isTrue();
      assertThat(files.get(1).path("yanked").asBoolean()).isTrue();
      assertThat(files.get(1).has("upload-time")).isFalse();
      assertThat(files.get(1).path("hashes").path("sha256").asText())
          .isEqualTo(tree.sha256("foo", "foo-1.1-py3-none-any.whl"));

      tree.remove("foo", "foo-1.0-py3-none-any.whl");
      assertThat(text(get(index.projectUrl("foo")))).doesNotContain("foo-1.0-py3-none-any.whl");
    }
  }

  @Test
  void countsPagesAndFilesSeparatelyAndLogsRequests() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "foo", "1.0", "py3-none-any");
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("foo", wheel))) {
      assertThat(index.requests("/simple/foo/")).isZero();
      get(index.projectUrl("foo"), "Accept", PIP_ACCEPT);
      get(index.projectUrl("foo"));
      get(URI.create(index.baseUrl() + "/simple/foo"));
      get(index.fileUrl(wheel.getFileName().toString()));
      send("HEAD", index.fileUrl(wheel.getFileName().toString()));
      assertThat(index.requests("/simple/foo/")).isEqualTo(2);
      assertThat(index.requests("/simple/foo")).isEqualTo(1);
      assertThat(index.requests("/files/foo-1.0-py3-none-any.whl")).isEqualTo(2);
      assertThat(index.fileRequests("foo-1.0-py3-none-any.whl")).isEqualTo(2);
      assertThat(index.totalRequests()).isEqualTo(5);
      assertThat(index.requestLog())
          .containsExactly(
              "GET /simple/foo/ accept=" + PIP_ACCEPT,
              "GET /simple/foo/ accept=null",
              "GET /simple/foo accept=null",
              "GET /files/foo-1.0-py3-none-any.whl accept=null",
              "HEAD /files/foo-1.0-py3-none-any.whl accept=null");
      assertThat(index.completedFileResponses("foo-1.0-py3-none-any.whl")).isEqualTo(1);
      assertThat(index.fileBytesSent("foo-1.0-py3-none-any.whl")).isEqualTo(Files.size(wheel));

      index.failNext(2, 503);
      assertThat(get(index.projectUrl("foo")).statusCode()).isEqualTo(503);
      assertThat(get(index.fileUrl("foo-1.0-py3-none-any.whl")).statusCode()).isEqualTo(503);
      assertThat(get(index.projectUrl("foo")).statusCode()).isEqualTo(200);
      assertThat(index.requests("/simple/foo/")).isEqualTo(4);

      index.resetCounters();
      assertThat(index.totalRequests()).isZero();
      assertThat(index.requests("/simple/foo/")).isZero();
      assertThat(index.requestLog()).isEmpty();
    }
  }

  @Test
  void servesRangesAndHead() throws Exception {
    Path file = blob("blob-1.0.tar.gz", 1000);
    byte[] bytes = Files.readAllBytes(file);
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("blob", file))) {
      URI url = index.fileUrl("blob-1.0.tar.gz");
      HttpResponse<byte[]> head = send("HEAD", url);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue("1000");
      assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
      assertThat(head.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
      String etag = head.headers().firstValue("ETag").orElseThrow();
      assertThat(etag).isEqualTo("\"" + sha256(bytes) + "\"");

      HttpResponse<byte[]> middle = get(url, "Range", "bytes=10-19");
      assertThat(middle.statusCode()).isEqualTo(206);
      assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 10-19/1000");
      assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
      HttpResponse<byte[]> tail = get(url, "Range", "bytes=990-");
      assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, 990, 1000));
      HttpResponse<byte[]> suffix = get(url, "Range", "bytes=-5");
      assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 995-999/1000");
      assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 995, 1000));
      HttpResponse<byte[]> beyond = get(url, "Range", "bytes=1000-");
      assertThat(beyond.statusCode()).isEqualTo(416);
      assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */1000");
      assertThat(get(url, "Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
      assertThat(get(url, "Range", "bytes=500-", "If-Range", etag).statusCode()).isEqualTo(206);
      HttpResponse<byte[]> stale = get(url, "Range", "bytes=500-", "If-Range", "\"stale\"");
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.body()).isEqualTo(bytes);
      assertThat(get(url, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }
  }

  @Test
  void corruptServesSameLengthDifferentBytes() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "foo", "1.0", "py3-none-any");
    byte[] bytes = Files.readAllBytes(wheel);
    String name = wheel.getFileName().toString();
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("foo", wheel))) {
      index.corrupt(name);
      HttpResponse<byte[]> bad = get(index.fileUrl(name));
      assertThat(bad.statusCode()).isEqualTo(200);
      assertThat(bad.body()).hasSameSizeAs(bytes);
      assertThat(sha256(bad.body())).isNotEqualTo(sha256(bytes));
      int differing = 0;
      for (int i = 0; i < bytes.length; i++) {
        differing += bad.body()[i] != bytes[i] ? 1 : 0;
      }
      assertThat(differing).isBetween(1, 4);
      // A range covering a flipped byte is altered the same way.
      HttpResponse<byte[]> range =
          get(index.fileUrl(name), "Range", "bytes=" + (bytes.length / 2) + "-");
      assertThat(range.body())
          .isEqualTo(Arrays.copyOfRange(bad.body(), bytes.length / 2, bytes.length));
      index.repair(name);
      assertThat(get(index.fileUrl(name)).body()).isEqualTo(bytes);
    }
  }

  @Test
  void stopRefusesConnectionsAndRestartServesOnTheSamePort() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("dists"), "foo", "1.0", "py3-none-any");
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("foo", wheel))) {
      URI page = index.projectUrl("foo");
      assertThat(get(page).statusCode()).isEqualTo(200);
      int port = index.port();
      index.stop();
      assertThat(index.running()).isFalse();
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      assertThatThrownBy(() -> get(page)).isInstanceOf(ConnectException.class);
      index.restart();
      assertThat(index.port()).isEqualTo(port);
      assertThat(index.projectUrl("foo")).isEqualTo(page);
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      assertThat(get(page).statusCode()).isEqualTo(200);
      assertThat(index.requests("/simple/foo/")).isEqualTo(2);
    }
  }

  @Test
  void throttleDeliversEveryByte() throws Exception {
    Path file = blob("blob-1.0.tar.gz", 64 * 1024);
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("blob", file))) {
      index.throttle(256 * 1024);
      HttpResponse<byte[]> response = get(index.fileUrl("blob-1.0.tar.gz"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Files.readAllBytes(file));
      assertThat(index.fileBytesSent("blob-1.0.tar.gz")).isEqualTo(64 * 1024);
      assertThat(index.completedFileResponses("blob-1.0.tar.gz")).isEqualTo(1);
    }
  }

  @Test
  void aClientThatGoesAwayMidDownloadEndsTheThrottledResponse() throws Exception {
    int size = 256 * 1024;
    Path file = blob("blob-1.0.tar.gz", size);
    try (UpstreamIndex index =
        UpstreamIndex.start(UpstreamTree.in(work.resolve("tree")).add("blob", file))) {
      index.throttle(32 * 1024); // 8 s for the whole file
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), index.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET /files/blob-1.0.tar.gz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (got.size() < 4096) {
          int n = in.read(buffer);
          assertThat(n).isPositive();
          got.write(buffer, 0, n);
        }
        assertThat(got.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (index.activeDownloads() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(index.activeDownloads()).isZero();
      assertThat(index.completedFileResponses("blob-1.0.tar.gz")).isZero();
      assertThat(index.fileBytesSent("blob-1.0.tar.gz")).isPositive().isLessThan(size);
    }
  }
}
