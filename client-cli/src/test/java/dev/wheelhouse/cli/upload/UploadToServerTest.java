package dev.wheelhouse.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wheelhouse upload} against a real server with a hosted index {@code local}. */
class UploadToServerTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static CliRun uploadWithToken(String token, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "upload";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.run(Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", token), all);
  }

  private static CliRun upload(String... args) {
    return uploadWithToken(TestServer.UPLOAD_TOKEN, args);
  }

  @Test
  void uploadsAWheelAndAnIdenticalReuploadIsExists() throws Exception {
    Path wheel = TestWheels.wheel(dir, "tinypkg", "0.1", "py3-none-any");
    long size = Files.size(wheel);

    CliRun first = upload("--index", "local", wheel.toString());
    CliRun again = upload("--index", "local", wheel.toString());

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .isEqualTo("uploaded tinypkg-0.1-py3-none-any.whl (" + size + " B) to local\n");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out())
        .isEqualTo("exists   tinypkg-0.1-py3-none-any.whl (" + size + " B) in local\n");
  }

  @Test
  void uploadedWheelIsListedAndServedWithItsBytes() throws Exception {
    Path wheel = TestWheels.wheel(dir, "served-pkg", "2.0", "py3-none-any");

    // No --index: POST /legacy/ writes to the server's upload index, local.
    CliRun run = upload(wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    URI page = URI.create(server.url() + "/index/local/simple/served-pkg/");
    String html = get(page).body();
    Matcher link =
        Pattern.compile("href=\"([^\"]*served_pkg-2\\.0-py3-none-any\\.whl[^\"]*)\"").matcher(html);
    assertThat(link.find()).as(html).isTrue();
    URI file = page.resolve(link.group(1).replace("&amp;", "&"));
    byte[] expected = Files.readAllBytes(wheel);
    assertThat(file.getFragment()).isEqualTo("sha256=" + sha256(expected));
    HttpResponse<byte[]> served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        new URI(file.getScheme(), file.getAuthority(), file.getPath(), null, null))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(expected);
  }

  @Test
  void sameNameWithOtherBytesFailsUnlessSkippingExisting() throws IOException {
    Path original = TestWheels.wheel(dir.resolve("a"), "clash", "1.0", "py3-none-any");
    Path other =
        TestWheels.wheel(
            dir.resolve("b"),
            "clash",
            "1.0",
            "py3-none-any",
            Map.of(),
            Map.of("clash/extra.py", "x = 1\n"));
    assertThat(upload("--index", "local", original.toString()).exitCode()).isZero();

    CliRun conflict = upload("--index", "local", other.toString());
    CliRun skipped = upload("--index", "local", "--skip-existing", other.toString());

    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.out()).isEmpty();
    assertThat(conflict.err())
        .startsWith("upload failed: clash-1.0-py3-none-any.whl: 409 File already exists")
        .contains("already exists")
        .endsWith("\n");
    assertThat(conflict.err().strip()).doesNotContain("\n");
    assertThat(skipped.exitCode()).as(skipped.err()).isZero();
    assertThat(skipped.out()).startsWith("exists   clash-1.0-py3-none-any.whl");
  }

  @Test
  void wrongTokenIsRefusedWith403() throws IOException {
    Path wheel = TestWheels.wheel(dir, "refused", "1.0", "py3-none-any");

    CliRun run = uploadWithToken("wh_not-a-known-token", wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("upload failed: refused-1.0-py3-none-any.whl: 403 ");
    assertThat(run.err().strip()).doesNotContain("\n");
  }

  @Test
  void missingTokenIsRefusedWith401AndAHint() throws IOException {
    Path wheel = TestWheels.wheel(dir, "anonymous", "1.0", "py3-none-any");

    CliRun run = CliRun.run(Map.of(), "upload", "--url", server.url(), wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("upload failed: anonymous-1.0-py3-none-any.whl: 401 ")
        .contains("(pass --token or set WHEELHOUSE_TOKEN)");
  }

  @Test
  void uploadingToAGroupIsRefusedWithTheServersReason() throws IOException {
    Path wheel = TestWheels.wheel(dir, "grouped", "1.0", "py3-none-any");

    CliRun run = upload("--index", "all", wheel.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("upload failed: grouped-1.0-py3-none-any.whl: 400 ")
        .contains("hosted");
  }

  @Test
  void uploadsAnSdist() throws IOException {
    Path sdist = TestWheels.sdist(dir, "source-only", "0.3");

    CliRun run = upload("--index", "local", sdist.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("uploaded source_only-0.3.tar.gz (");
  }

  @Test
  void jsonOutputParsesAndDescribesEachFile() throws Exception {
    Path wheel = TestWheels.wheel(dir, "jsonpkg", "1.0", "py3-none-any");
    Path sdist = TestWheels.sdist(dir, "jsonpkg", "1.0");

    CliRun run = upload("--json", "--index", "local", wheel.toString(), sdist.toString());
    CliRun again = upload("--json", "--index", "local", wheel.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    JsonNode results = new ObjectMapper().readTree(run.out());
    assertThat(results).hasSize(2);
    JsonNode first = results.get(0);
    assertThat(first.get("file").asText()).isEqualTo(wheel.toString());
    assertThat(first.get("status").asText()).isEqualTo("uploaded");
    assertThat(first.get("index").asText()).isEqualTo("local");
    assertThat(first.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(wheel)));
    assertThat(first.get("size").asLong()).isEqualTo(Files.size(wheel));
    assertThat(first.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(first.get("reason").isNull()).isTrue();
    assertThat(results.get(1).get("status").asText()).isEqualTo("uploaded");
    JsonNode repeated = new ObjectMapper().readTree(again.out()).get(0);
    assertThat(repeated.get("status").asText()).isEqualTo("exists");
    assertThat(repeated.get("httpStatus").asInt()).isEqualTo(200);
  }

  private static HttpResponse<String> get(URI uri) throws IOException {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
