package dev.wheelhouse.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code upload} sends and how it reads answers, against a recording HTTP server. */
class UploadCommandTest {
  private static final String TOKEN = "wh_test-token";

  @TempDir Path dir;
  private RecordingServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new RecordingServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private CliRun upload(String... args) {
    return CliRun.run(
        Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", TOKEN),
        concat(new String[] {"upload"}, args));
  }

  @Test
  void missingFileFailsBeforeAnythingIsSent() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    Path missing = dir.resolve("other-1.0-py3-none-any.whl");

    CliRun run = upload(wheel.toString(), missing.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("upload failed: " + missing + ": no such file");
    assertThat(run.out()).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void fileThatIsNotADistributionFailsBeforeAnythingIsSent() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");

    CliRun run = upload(wheel.toString(), notes.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("upload failed: " + notes + ": ")
        .contains("notes.txt")
        .doesNotContain("Exception");
    assertThat(run.err().strip()).doesNotContain("\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void corruptWheelFailsBeforeAnythingIsSent() throws IOException {
    Path corrupt = Files.writeString(dir.resolve("broken-1.0-py3-none-any.whl"), "not a zip");

    CliRun run = upload(corrupt.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("upload failed: " + corrupt + ": ", "not a valid zip archive");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void sendsTheLegacyUploadFormWithDigestsAndTokenAndLength() throws Exception {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    byte[] bytes = Files.readAllBytes(wheel);

    CliRun run = upload("--index", "local", wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip())
        .matches("uploaded tinypkg-0\\.1-py3-none-any\\.whl \\(\\d+ B\\) to local");
    RecordingServer.Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/index/local/legacy/");
    assertThat(request.header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("__token__:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(request.body().length));
    assertThat(request.header("Transfer-Encoding")).isNull();

    Multipart form = Multipart.parse(request.header("Content-Type"), request.body());
    assertThat(form.fields())
        .containsEntry(":action", "file_upload")
        .containsEntry("protocol_version", "1")
        .containsEntry("name", "tinypkg")
        .containsEntry("version", "0.1")
        .containsEntry("filetype", "bdist_wheel")
        .containsEntry("pyversion", "py3")
        .containsEntry("metadata_version", "2.1")
        .containsEntry("sha256_digest", hex("SHA-256", bytes))
        .containsEntry("md5_digest", hex("MD5", bytes));
    assertThat(form.fields().get("blake2_256_digest")).matches("[0-9a-f]{64}");
    assertThat(form.filename()).isEqualTo("tinypkg-0.1-py3-none-any.whl");
    assertThat(form.content()).isEqualTo(bytes);
  }

  @Test
  void withoutIndexPostsToTheDefaultHostedIndex() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");

    CliRun run = upload(wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.requests().get(0).path()).isEqualTo("/legacy/");
    assertThat(run.out()).contains("to " + server.url());
  }

  @Test
  void sdistIsSentAsSourceWithItsPkgInfoMetadataVersion() throws IOException {
    Path sdist =
        TestWheels.sdist(
            dir,
            "tinypkg",
            "0.2",
            Map.of("PKG-INFO", "Metadata-Version: 2.4\nName: tinypkg\nVersion: 0.2\n\n"));

    CliRun run = upload(sdist.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    RecordingServer.Request request = server.requests().get(0);
    Multipart form = Multipart.parse(request.header("Content-Type"), request.body());
    assertThat(form.fields())
        .containsEntry("filetype", "sdist")
        .containsEntry("pyversion", "source")
        .containsEntry("metadata_version", "2.4")
        .containsEntry("version", "0.2");
    assertThat(form.content()).isEqualTo(Files.readAllBytes(sdist));
  }

  @Test
  void streamsLargeFilesWhole() throws Exception {
    byte[] noise = new byte[3 << 20];
    new Random(42).nextBytes(noise);
    Path wheel =
        TestWheels.wheel(
            dir,
            "bigpkg",
            "1.0",
            "py3-none-any",
            Map.of(),
            Map.of("bigpkg/data.txt", Base64.getEncoder().encodeToString(noise)));

    CliRun run = upload(wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("bigpkg-1\\.0-py3-none-any\\.whl \\(\\d\\.\\d MB\\)");
    RecordingServer.Request request = server.requests().get(0);
    Multipart form = Multipart.parse(request.header("Content-Type"), request.body());
    assertThat(form.content()).isEqualTo(Files.readAllBytes(wheel));
  }

  @Test
  void conflictFailsWithTheServersReason() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(409, "File already exists: tinypkg-0.1-py3-none-any.whl with other bytes\n");

    CliRun run = upload(wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "upload failed: tinypkg-0.1-py3-none-any.whl: 409 File already exists:"
                + " tinypkg-0.1-py3-none-any.whl with other bytes");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void skipExistingCountsAConflictAsDone() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(409, "File already exists");

    CliRun run = upload("--skip-existing", "--index", "local", wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("exists   tinypkg-0.1-py3-none-any.whl (").contains("local");
  }

  @Test
  void skipExistingAlsoKnowsPypisFileAlreadyExists400() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(400, "File already exists. See https://pypi.org/help/#file-name-reuse");

    assertThat(upload("--skip-existing", wheel.toString()).exitCode()).isZero();
    assertThat(upload(wheel.toString()).exitCode()).isEqualTo(1);
  }

  @Test
  void missingTokenGetsAHintWith401() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(401, "");

    CliRun run = CliRun.run(Map.of(), "upload", "--url", server.url(), wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("401 Unauthorized (pass --token or set WHEELHOUSE_TOKEN)")
        .doesNotContain("Exception");
    assertThat(server.requests().get(0).header("Authorization")).isNull();
  }

  @Test
  void redirectIsReportedNotFollowed() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(301, "", Map.of("Location", "https://elsewhere/legacy/"));

    CliRun run = upload(wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("301 redirected to https://elsewhere/legacy/");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void stopsAtTheFirstFailure() throws IOException {
    Path first = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    Path second = TestWheels.wheel(dir, "other", "1.0", "py3-none-any");
    server.answer(500, "<html><body><h1>Internal Server Error</h1></body></html>");

    CliRun run = upload(first.toString(), second.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("upload failed: tinypkg-0.1-py3-none-any.whl: 500 Internal Server Error");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void jsonListsEveryFileWithItsOutcome() throws Exception {
    Path first = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    Path second = TestWheels.wheel(dir, "other", "1.0", "py3-none-any");

    CliRun run = upload("--json", "--index", "local", first.toString(), second.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode results = new ObjectMapper().readTree(run.out());
    assertThat(results.isArray()).isTrue();
    assertThat(results).hasSize(2);
    JsonNode result = results.get(0);
    assertThat(result.get("file").asText()).isEqualTo(first.toString());
    assertThat(result.get("status").asText()).isEqualTo("uploaded");
    assertThat(result.get("index").asText()).isEqualTo("local");
    assertThat(result.get("sha256").asText()).isEqualTo(hex("SHA-256", Files.readAllBytes(first)));
    assertThat(result.get("size").asLong()).isEqualTo(Files.size(first));
    assertThat(result.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(result.get("reason").isNull()).isTrue();
  }

  @Test
  void jsonReportsTheFailureToo() throws Exception {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    server.answer(403, "token not allowed to upload to local");

    CliRun run = upload("--json", wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode result = new ObjectMapper().readTree(run.out()).get(0);
    assertThat(result.get("status").asText()).isEqualTo("failed");
    assertThat(result.get("httpStatus").asInt()).isEqualTo(403);
    assertThat(result.get("reason").asText()).isEqualTo("token not allowed to upload to local");
    assertThat(run.err()).contains("403 token not allowed");
  }

  @Test
  void unreachableServerIsOneLine() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    CliRun run =
        CliRun.run(Map.of(), "upload", "--url", "http://127.0.0.1:" + port + "/", wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("cannot reach http://127.0.0.1:" + port + ": connection refused\n");
  }

  @Test
  void badIndexNameOrUrlIsAUsageError() throws IOException {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");

    assertThat(upload("--index", "../admin", wheel.toString()).exitCode()).isEqualTo(2);
    assertThat(upload("--url", "localhost:8080", wheel.toString()).exitCode()).isEqualTo(2);
    assertThat(server.requests()).isEmpty();
  }

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = new String[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
