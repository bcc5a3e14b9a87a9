package dev.wheelhouse.server.provenance;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build provenance uploaded with a wheel: stored with it, served, and gone with it. */
class ProvenanceApiTest {
  static final String JSON_PAGE = "application/vnd.pypi.simple.v1+json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROVENANCE =
      "{\"recipe\":\"native\",\"source\":\"git+https://git.example/native@0123abc\","
          + "\"commit\":\"0123abc\",\"image\":\"python:3.12-bookworm\",\"platform\":\"linux/arm64\","
          + "\"python\":\"3.12\",\"duration-seconds\":42.5,\"built-at\":\"2026-01-02T03:04:05Z\","
          + "\"builder\":\"wheelhouse 0.1.0\",\"engine\":\"podman 4.3.1\"}";
  static final String WHEEL = "native-1.0-cp312-cp312-manylinux_2_17_aarch64.whl";

  @TempDir Path root;
  @TempDir Path work;
  Path data;
  TestServer server;
  Path wheel;
  byte[] log;

  @BeforeEach
  void start() throws Exception {
    data = root.resolve("data");
    server = TestServer.start(data, "prune:\n  hosted: [local]\n");
    wheel = TestWheels.wheel(work, "native", "1.0", "cp312-cp312-manylinux_2_17_aarch64");
    // Several megabytes: the log is streamed to the store like the wheel.
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 3_000_000; i++) {
      text.append("step ")
          .append(i)
          .append(": compiling native/src/module_")
          .append(i)
          .append(".c\n");
    }
    log = text.toString().getBytes(StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  MultipartUpload upload() throws IOException {
    return MultipartUpload.of(wheel, "native", "1.0").token(TestServer.UPLOAD_TOKEN);
  }

  HttpResponse<String> uploadBuilt() throws Exception {
    return upload()
        .field("provenance", PROVENANCE)
        .attach("build_log", "build.log", "text/plain; charset=utf-8", log)
        .post(server.url() + "/legacy/");
  }

  @Test
  void provenanceAndLogAreServedAndLinkedFromTheJsonPage() throws Exception {
    HttpResponse<String> uploaded = uploadBuilt();
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

    String pagePath = "/simple/native/";
    JsonNode file = page(pagePath).at("/files/0");
    assertThat(file.get("filename").asText()).isEqualTo(WHEEL);
    String link = file.get("_provenance").asText();
    assertThat(link).isEqualTo("../../provenance/local/" + WHEEL);
    String provenancePath = URI.create(pagePath).resolve(link).getPath();
    assertThat(provenancePath).isEqualTo("/provenance/local/" + WHEEL);

    HttpResponse<byte[]> answer = server.get(provenancePath);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode provenance = JSON.readTree(answer.body());
    JsonNode sent = JSON.readTree(PROVENANCE);
    sent.fieldNames()
        .forEachRemaining(
            name -> assertThat(provenance.get(name)).as(name).isEqualTo(sent.get(name)));
    assertThat(provenance.get("filename").asText()).isEqualTo(WHEEL);
    assertThat(provenance.get("index").asText()).isEqualTo("local");
    assertThat(provenance.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(wheel)));
    String logPath = URI.create(provenancePath).resolve(provenance.get("log").asText()).getPath();
    assertThat(logPath).isEqualTo("/provenance/local/" + WHEEL + "/log");

    HttpResponse<byte[]> logAnswer = server.get(logPath);
    assertThat(logAnswer.statusCode()).isEqualTo(200);
    assertThat(logAnswer.headers().firstValue("Content-Type"))
        .contains("text/plain; charset=utf-8");
    assertThat(logAnswer.body()).isEqualTo(log);
    HttpResponse<byte[]> head = server.send("HEAD", logPath);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(log.length));
    HttpResponse<byte[]> range = server.get(logPath, "Range", "bytes=0-3");
    assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("step");

    // A named index's page links the same document; HTML pages stay as they were.
    assertThat(page("/index/local/simple/native/").at("/files/0/_provenance").asText())
        .isEqualTo("../../../../provenance/local/" + WHEEL);
    String html = new String(server.get(pagePath).body(), StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("provenance");
  }

  @Test
  void filesWithoutProvenanceHaveNoLinkAndA404WithAReason() throws Exception {
    assertThat(upload().post(server.url() + "/legacy/").statusCode()).isEqualTo(200);

    assertThat(page("/simple/native/").at("/files/0").has("_provenance")).isFalse();
    HttpResponse<byte[]> none = server.get("/provenance/local/" + WHEEL);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(text(none)).contains("uploaded without one");
    assertThat(server.get("/provenance/local/other-1.0-py3-none-any.whl").statusCode())
        .isEqualTo(404);
    assertThat(server.get("/provenance/nowhere/" + WHEEL).statusCode()).isEqualTo(404);
    assertThat(server.get("/provenance/local/not-a-distribution.txt").statusCode()).isEqualTo(400);

    HttpResponse<String> withoutLog =
        MultipartUpload.of(
                TestWheels.wheel(work.resolve("b"), "nolog", "1.0", "py3-none-any"), "nolog", "1.0")
            .token(TestServer.UPLOAD_TOKEN)
            .field("provenance", "{\"recipe\":\"nolog\"}")
            .post(server.url() + "/legacy/");
    assertThat(withoutLog.statusCode()).as(withoutLog.body()).isEqualTo(200);
    JsonNode provenance =
        JSON.readTree(server.get("/provenance/local/nolog-1.0-py3-none-any.whl").body());
    assertThat(provenance.get("recipe").asText()).isEqualTo("nolog");
    assertThat(provenance.has("log")).isFalse();
    HttpResponse<byte[]> noLog = server.get("/provenance/local/nolog-1.0-py3-none-any.whl/log");
    assertThat(noLog.statusCode()).isEqualTo(404);
    assertThat(text(noLog)).contains("no build log");
  }

  @Test
  void badProvenanceIsRefusedWithAReasonAndNothingIsStored() throws Exception {
    assertRefused(upload().field("provenance", "recipe=native"), "not valid JSON");
    assertRefused(upload().field("provenance", "[1, 2]"), "must be a JSON object, got array");
    assertRefused(upload().field("provenance", "\"text\""), "must be a JSON object, got string");
    assertRefused(upload().field("provenance", "{} {}"), "not valid JSON");
    String big = "{\"padding\":\"" + "x".repeat(64 * 1024) + "\"}";
    assertRefused(upload().field("provenance", big), "at most 65536");
    HttpResponse<String> huge =
        upload()
            .field("provenance", "{\"padding\":\"" + "x".repeat(2 << 20) + "\"}")
            .post(server.url() + "/legacy/");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(huge.body()).contains("form field is larger than the limit");
    assertRefused(
        upload().attach("build_log", "build.log", "text/plain", log), "comes with a provenance");
    assertRefused(
        upload().attach("provenance", "p.json", "application/json", new byte[] {'{', '}'}),
        "not as a file");

    assertThat(server.get("/simple/native/").statusCode()).isEqualTo(404);
    assertThat(server.get("/files/local/native/" + WHEEL).statusCode()).isEqualTo(404);
    assertThat(server.get("/provenance/local/" + WHEEL).statusCode()).isEqualTo(404);
    try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile).toList()).as("no blob was kept").isEmpty();
    }
  }

  @Test
  void provenanceNeedsTheUploadRoleAndReadsFollowTheReadRules() throws Exception {
    HttpResponse<String> anonymous =
        MultipartUpload.of(wheel, "native", "1.0")
            .field("provenance", PROVENANCE)
            .post(server.url() + "/legacy/");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> reader =
        MultipartUpload.of(wheel, "native", "1.0")
            .token(TestServer.READ_TOKEN)
            .field("provenance", PROVENANCE)
            .post(server.url() + "/legacy/");
    assertThat(reader.statusCode()).isEqualTo(403);
    server.close();

    server = TestServer.startPrivate(data);
    HttpResponse<String> uploaded = uploadBuilt();
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    assertThat(server.get("/provenance/local/" + WHEEL).statusCode()).isEqualTo(401);
    assertThat(server.get("/provenance/local/" + WHEEL + "/log").statusCode()).isEqualTo(401);
    assertThat(
            server
                .get(
                    "/provenance/local/" + WHEEL,
                    "Authorization",
                    "Bearer " + TestServer.READ_TOKEN)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void provenanceSurvivesARestart() throws Exception {
    assertThat(uploadBuilt().statusCode()).isEqualTo(200);
    server.close();
    server = TestServer.start(data);

    assertThat(
            JSON.readTree(server.get("/provenance/local/" + WHEEL).body()).get("recipe").asText())
        .isEqualTo("native");
    assertThat(server.get("/provenance/local/" + WHEEL + "/log").body()).isEqualTo(log);
    assertThat(page("/simple/native/").at("/files/0/_provenance").isTextual()).isTrue();
  }

  @Test
  void reuploadingTheSameFileAddsAMissingProvenanceButKeepsAnExistingOne() throws Exception {
    assertThat(upload().post(server.url() + "/legacy/").statusCode()).isEqualTo(200);
    assertThat(page("/simple/native/").at("/files/0").has("_provenance")).isFalse();

    HttpResponse<String> again = uploadBuilt();
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("already exists");
    assertThat(page("/simple/native/").at("/files/0/_provenance").isTextual()).isTrue();
    assertThat(server.get("/provenance/local/" + WHEEL + "/log").body()).isEqualTo(log);

    HttpResponse<String> third =
        upload().field("provenance", "{\"recipe\":\"other\"}").post(server.url() + "/legacy/");
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(
            JSON.readTree(server.get("/provenance/local/" + WHEEL).body()).get("recipe").asText())
        .isEqualTo("native");
  }

  @Test
  void garbageCollectionKeepsTheLogAndPruningTheFileDropsBoth() throws Exception {
    assertThat(uploadBuilt().statusCode()).isEqualTo(200);
    Path logBlob = data.resolve("blobs/sha256/" + sha256(log).substring(0, 2) + "/" + sha256(log));
    assertThat(logBlob).exists();

    AdminRequests.result(AdminRequests.post(server.url(), "/admin/gc", "{\"apply\": true}"));
    assertThat(logBlob).exists();
    assertThat(server.get("/provenance/local/" + WHEEL + "/log").statusCode()).isEqualTo(200);

    JsonNode pruned =
        AdminRequests.result(
            AdminRequests.post(
                server.url(),
                "/admin/prune",
                "{\"maxSize\": \"1\", \"indexes\": [\"local\"], \"apply\": true}"));
    assertThat(pruned.get("entriesSelected").asLong()).isEqualTo(1);

    assertThat(server.get("/files/local/native/" + WHEEL).statusCode()).isEqualTo(404);
    assertThat(server.get("/provenance/local/" + WHEEL).statusCode()).isEqualTo(404);
    assertThat(server.get("/provenance/local/" + WHEEL + "/log").statusCode()).isEqualTo(404);
    assertThat(logBlob).as("the log went with its file").doesNotExist();
  }

  void assertRefused(MultipartUpload upload, String reason) throws Exception {
    HttpResponse<String> refused = upload.post(server.url() + "/legacy/");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains(reason);
  }

  JsonNode page(String path) throws Exception {
    HttpResponse<byte[]> page = server.get(path, "Accept", JSON_PAGE);
    assertThat(page.statusCode()).isEqualTo(200);
    return JSON.readTree(page.body());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    return MultipartUpload.hex("SHA-256", bytes);
  }
}
