package dev.wheelhouse.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileServingTest {
  static final String FILE = "/files/local/ranged/ranged-1.0-py3-none-any.whl";

  @TempDir static Path data;
  @TempDir static Path work;
  TestServer server;
  byte[] bytes;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(data);
    Path wheel =
        TestWheels.wheel(
            work, "ranged", "1.0", "py3-none-any", Map.of("Description", "x".repeat(5000)));
    bytes = Files.readAllBytes(wheel);
    assertThat(server.upload(wheel, "ranged", "1.0").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void servesImmutableBytesWithValidators() throws Exception {
    HttpResponse<byte[]> response = server.get(FILE);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(bytes);
    assertThat(response.headers().firstValue("ETag"))
        .contains("\"" + MultipartUpload.hex("SHA-256", bytes) + "\"");
    assertThat(response.headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
    assertThat(response.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(response.headers().firstValue("Last-Modified")).isPresent();
  }

  @Test
  void headSendsHeadersOnly() throws Exception {
    HttpResponse<byte[]> response = server.send("HEAD", FILE);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Length"))
        .contains(Integer.toString(bytes.length));
    assertThat(response.headers().firstValue("Accept-Ranges")).contains("bytes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bytes=0-9, 0, 9",
    "bytes=10-, 10, -1",
    "bytes=-5, -5, -1",
    "bytes=100-99999999, 100, -1",
    "BYTES=3-3, 3, 3",
  })
  void singleRangesGet206(String range, int start, int end) throws Exception {
    int from = start < 0 ? bytes.length + start : start;
    int to = end < 0 ? bytes.length - 1 : end;
    HttpResponse<byte[]> response = server.get(FILE, "Range", range);
    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(bytes, from, to + 1));
    assertThat(response.headers().firstValue("Content-Range"))
        .contains("bytes " + from + "-" + to + "/" + bytes.length);
    assertThat(response.headers().firstValue("Content-Length"))
        .contains(Integer.toString(to - from + 1));
  }

  @Test
  void rangePastTheEndIs416WithTheLength() throws Exception {
    HttpResponse<byte[]> response = server.get(FILE, "Range", "bytes=" + bytes.length + "-");
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).contains("bytes */" + bytes.length);
    assertThat(server.get(FILE, "Range", "bytes=-0").statusCode()).isEqualTo(416);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"bytes=0-1,5-6", "bytes=9-3", "items=0-5", "bytes=abc", "bytes=-"})
  void unusableRangesSendTheWholeFile(String range) throws Exception {
    HttpResponse<byte[]> response = server.get(FILE, "Range", range);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(bytes);
  }

  @Test
  void ifRangeHonoursOnlyTheCurrentValidator() throws Exception {
    String etag = server.get(FILE).headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> same = server.get(FILE, "Range", "bytes=5-", "If-Range", etag);
    assertThat(same.statusCode()).isEqualTo(206);
    assertThat(same.body()).isEqualTo(Arrays.copyOfRange(bytes, 5, bytes.length));
    HttpResponse<byte[]> other = server.get(FILE, "Range", "bytes=5-", "If-Range", "\"stale\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo(bytes);
    String lastModified = server.get(FILE).headers().firstValue("Last-Modified").orElseThrow();
    assertThat(server.get(FILE, "Range", "bytes=5-", "If-Range", lastModified).statusCode())
        .isEqualTo(206);
  }

  @Test
  void ifNoneMatchGets304() throws Exception {
    String etag = server.get(FILE).headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> response = server.get(FILE, "If-None-Match", etag);
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void unknownFilesAre404() throws Exception {
    assertThat(server.get("/files/local/ranged/ranged-9.0-py3-none-any.whl").statusCode())
        .isEqualTo(404);
    assertThat(server.get("/files/nope/ranged/ranged-1.0-py3-none-any.whl").statusCode())
        .isEqualTo(404);
    assertThat(server.get("/files/all/ranged/ranged-1.0-py3-none-any.whl").statusCode())
        .isEqualTo(404);
    assertThat(server.get("/files/local/other/ranged-1.0-py3-none-any.whl").statusCode())
        .isEqualTo(404);
  }
}
