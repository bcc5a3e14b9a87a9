package dev.wheelhouse.server.pypi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimpleIndexApiTest {
  static final String PIP_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
          + " text/html; q=0.01";
  static final String UV_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
          + " text/html;q=0.01";
  static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  @TempDir static Path work;
  TestServer server;
  Path pure;
  Path platform;
  Path local;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(data);
    pure =
        TestWheels.wheel(
            work, "Tiny_Pkg", "1.0", "py3-none-any", Map.of("Requires-Python", ">=3.8"));
    platform = TestWheels.wheel(work, "Tiny_Pkg", "1.1", "cp311-cp311-manylinux_2_17_x86_64");
    local = TestWheels.wheel(work, "torchy", "2.1.0+cu121", "py3-none-any");
    assertThat(server.upload(pure, "Tiny_Pkg", "1.0").statusCode()).isEqualTo(200);
    assertThat(server.upload(platform, "Tiny_Pkg", "1.1").statusCode()).isEqualTo(200);
    assertThat(server.upload(local, "torchy", "2.1.0+cu121").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pip |" + PIP_ACCEPT + "| application/vnd.pypi.simple.v1+json",
        "uv |" + UV_ACCEPT + "| application/vnd.pypi.simple.v1+json",
        "browser |" + BROWSER_ACCEPT + "| text/html; charset=utf-8",
        "wildcard | */* | text/html; charset=utf-8",
        "v1 html only | application/vnd.pypi.simple.v1+html | application/vnd.pypi.simple.v1+html",
        "latest json | application/vnd.pypi.simple.latest+json | application/vnd.pypi.simple.v1+json",
        "json refused, html accepted | application/vnd.pypi.simple.v1+json;q=0, text/html | text/html; charset=utf-8",
      })
  void negotiatesWithRealClientHeaders(String client, String accept, String expected)
      throws Exception {
    HttpResponse<byte[]> page = server.get("/simple/tiny-pkg/", "Accept", accept.trim());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains(expected.trim());
    assertThat(page.headers().firstValue("Vary")).contains("Accept");
  }

  @Test
  void noAcceptHeaderGetsHtml() throws Exception {
    HttpResponse<byte[]> page = server.get("/simple/tiny-pkg/");
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
  }

  @Test
  void unsupportedAcceptIs406WithReason() throws Exception {
    HttpResponse<byte[]> page = server.get("/simple/tiny-pkg/", "Accept", "application/xml");
    assertThat(page.statusCode()).isEqualTo(406);
    assertThat(body(page)).contains("application/vnd.pypi.simple.v1+json");
  }

  @Test
  void htmlPageCarriesHashesRequiresPythonAndCoreMetadata() throws Exception {
    String html = body(server.get("/simple/tiny-pkg/", "Accept", "text/html"));
    String sha = MultipartUpload.hex("SHA-256", java.nio.file.Files.readAllBytes(pure));
    String metaSha = MultipartUpload.hex("SHA-256", TestWheels.metadataOf(pure));
    assertThat(html)
        .contains("<meta name=\"pypi:repository-version\" content=\"1.1\">")
        .contains(
            "href=\"../../files/local/tiny-pkg/tiny_pkg-1.0-py3-none-any.whl#sha256=" + sha + "\"")
        .contains("data-requires-python=\"&gt;=3.8\"")
        .contains("data-core-metadata=\"sha256=" + metaSha + "\"")
        .contains(">tiny_pkg-1.0-py3-none-any.whl</a>");
    // Every link carries its hash.
    assertThat(html.split("<a ", -1).length - 1).isEqualTo(2);
    assertThat(html.split("#sha256=", -1).length - 1).isEqualTo(2);
  }

  @Test
  void jsonPageIsApi11() throws Exception {
    JsonNode page = json(server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT));
    assertThat(page.at("/meta/api-version").asText()).isEqualTo("1.1");
    assertThat(page.at("/name").asText()).isEqualTo("tiny-pkg");
    assertThat(page.at("/versions").toString()).isEqualTo("[\"1.0\",\"1.1\"]");
    JsonNode first = page.at("/files/0");
    assertThat(first.at("/filename").asText()).isEqualTo("tiny_pkg-1.0-py3-none-any.whl");
    assertThat(first.at("/url").asText())
        .isEqualTo("../../files/local/tiny-pkg/tiny_pkg-1.0-py3-none-any.whl");
    assertThat(first.at("/hashes/sha256").asText())
        .isEqualTo(MultipartUpload.hex("SHA-256", java.nio.file.Files.readAllBytes(pure)));
    assertThat(first.at("/requires-python").asText()).isEqualTo(">=3.8");
    assertThat(first.at("/size").asLong()).isEqualTo(java.nio.file.Files.size(pure));
    assertThat(first.at("/yanked").asBoolean()).isFalse();
    assertThat(first.at("/core-metadata/sha256").asText())
        .isEqualTo(MultipartUpload.hex("SHA-256", TestWheels.metadataOf(pure)));
    assertThat(first.has("dist-info-metadata")).isFalse();
    String uploadTime = first.at("/upload-time").asText();
    assertThat(uploadTime).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(Instant.parse(uploadTime)).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void localVersionsKeepTheirPlus() throws Exception {
    JsonNode page = json(server.get("/simple/torchy/", "Accept", PIP_ACCEPT));
    assertThat(page.at("/versions/0").asText()).isEqualTo("2.1.0+cu121");
    String url = page.at("/files/0/url").asText();
    assertThat(url).endsWith("torchy-2.1.0%2Bcu121-py3-none-any.whl");
    byte[] expected = java.nio.file.Files.readAllBytes(local);
    assertThat(server.get("/files/local/torchy/torchy-2.1.0%2Bcu121-py3-none-any.whl").body())
        .isEqualTo(expected);
    assertThat(server.get("/files/local/torchy/torchy-2.1.0+cu121-py3-none-any.whl").body())
        .isEqualTo(expected);
  }

  @Test
  void metadataFileHoldsTheWheelsOwnBytes() throws Exception {
    JsonNode page = json(server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT));
    String url = page.at("/files/0/url").asText().replace("../../", "/") + ".metadata";
    HttpResponse<byte[]> metadata = server.get(url);
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).isEqualTo(TestWheels.metadataOf(pure));
    assertThat(MultipartUpload.hex("SHA-256", metadata.body()))
        .isEqualTo(page.at("/files/0/core-metadata/sha256").asText());
  }

  @Test
  void rootListsProjectsInBothFormats() throws Exception {
    String html = body(server.get("/simple/", "Accept", "text/html"));
    assertThat(html).contains("<a href=\"tiny-pkg/\">Tiny_Pkg</a>").contains("torchy/");
    JsonNode json = json(server.get("/simple/", "Accept", PIP_ACCEPT));
    assertThat(json.at("/projects").findValuesAsText("name")).contains("Tiny_Pkg", "torchy");
  }

  @ParameterizedTest
  @CsvSource({
    "/simple/Tiny_Pkg/, /simple/tiny-pkg/",
    "/simple/TINY.PKG/, /simple/tiny-pkg/",
    "/simple/tiny-pkg, /simple/tiny-pkg/",
    "/simple, /simple/",
    "/index/local/simple/Tiny_Pkg, /index/local/simple/tiny-pkg/",
  })
  void redirectsToTheCanonicalUrl(String path, String location) throws Exception {
    HttpResponse<byte[]> response = server.get(path);
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.headers().firstValue("Location")).contains(location);
  }

  @Test
  void namedIndexesServeTheirOwnFiles() throws Exception {
    assertThat(server.get("/index/local/simple/tiny-pkg/").statusCode()).isEqualTo(200);
    assertThat(server.get("/index/extra/simple/tiny-pkg/").statusCode()).isEqualTo(404);
    String grouped = body(server.get("/index/all/simple/tiny-pkg/", "Accept", "text/html"));
    assertThat(grouped).contains("href=\"../../../../files/local/tiny-pkg/");
    assertThat(server.get("/index/nope/simple/").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownProjectIs404() throws Exception {
    assertThat(server.get("/simple/does-not-exist/").statusCode()).isEqualTo(404);
  }

  @Test
  void etagAnswersConditionalRequestsWith304() throws Exception {
    HttpResponse<byte[]> first = server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(first.headers().firstValue("Cache-Control")).contains("max-age=10, public");
    HttpResponse<byte[]> again =
        server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).contains(etag);
    HttpResponse<byte[]> html =
        server.get("/simple/tiny-pkg/", "Accept", "text/html", "If-None-Match", etag);
    assertThat(html.statusCode()).isEqualTo(200);
  }

  @Test
  void yankingNeedsAdminAndShowsOnBothFormats() throws Exception {
    String path =
        "/admin/indexes/local/projects/tiny-pkg/files/tiny_pkg-1.1-cp311-cp311-manylinux_2_17_x86_64.whl/yank";
    assertThat(server.send("PUT", path).statusCode()).isEqualTo(401);
    assertThat(
            server
                .send("PUT", path, "Authorization", "Bearer " + TestServer.UPLOAD_TOKEN)
                .statusCode())
        .isEqualTo(403);
    HttpResponse<byte[]> yank = putJson(path, "{\"reason\": \"broken <build>\"}");
    assertThat(yank.statusCode()).isEqualTo(200);
    String html = body(server.get("/simple/tiny-pkg/", "Accept", "text/html"));
    assertThat(html).contains("data-yanked=\"broken &lt;build&gt;\"");
    JsonNode json = json(server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT));
    assertThat(json.at("/files/1/yanked").asText()).isEqualTo("broken <build>");

    HttpResponse<byte[]> unyank =
        server.send("DELETE", path, "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
    assertThat(unyank.statusCode()).isEqualTo(200);
    json = json(server.get("/simple/tiny-pkg/", "Accept", PIP_ACCEPT));
    assertThat(json.at("/files/1/yanked").asBoolean()).isFalse();
    assertThat(body(server.get("/simple/tiny-pkg/", "Accept", "text/html")))
        .doesNotContain("data-yanked");

    HttpResponse<byte[]> missing =
        server.send(
            "DELETE",
            "/admin/indexes/local/projects/tiny-pkg/files/tiny_pkg-9.9-py3-none-any.whl/yank",
            "Authorization",
            "Bearer " + TestServer.ADMIN_TOKEN);
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  private HttpResponse<byte[]> putJson(String path, String json) throws Exception {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
            .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
