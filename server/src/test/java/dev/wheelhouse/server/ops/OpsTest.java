package dev.wheelhouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {
  @TempDir Path data;
  @TempDir Path work;

  @Test
  void metricsCountRequestsUploadsAndBlobs() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      Path wheel = TestWheels.wheel(work, "metered", "1.0", "py3-none-any");
      assertThat(server.upload(wheel, "metered", "1.0").statusCode()).isEqualTo(200);
      assertThat(server.get("/simple/metered/").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> file = server.get("/files/local/metered/metered-1.0-py3-none-any.whl");
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(server.get("/simple/absent/").statusCode()).isEqualTo(404);

      HttpResponse<byte[]> metrics = server.get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/plain");
      String text = new String(metrics.body(), StandardCharsets.UTF_8);
      assertThat(text)
          .contains(
              "wheelhouse_http_requests_total{method=\"GET\",route=\"/simple\",status=\"200\"} 1")
          .contains(
              "wheelhouse_http_requests_total{method=\"GET\",route=\"/simple\",status=\"404\"} 1")
          .contains(
              "wheelhouse_http_requests_total{method=\"POST\",route=\"/legacy\",status=\"200\"} 1")
          .contains("wheelhouse_uploads_total{index=\"local\",result=\"stored\"} 1")
          // the wheel and its METADATA
          .contains("wheelhouse_blobs 2")
          .contains("wheelhouse_http_response_bytes_total{route=\"/files\"} " + Files.size(wheel));
    }
  }

  @Test
  void healthReadinessAndHomePage() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
      String home = new String(server.get("/").body(), StandardCharsets.UTF_8);
      assertThat(home).contains("/index/local/simple/").contains("all (default, /simple/)");
      assertThat(server.get("/nothing-here").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void readsNeedATokenWhenAnonymousReadIsOff() throws Exception {
    try (TestServer server = TestServer.startPrivate(data)) {
      HttpResponse<byte[]> anonymous = server.get("/simple/");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(
              server
                  .get("/simple/", "Authorization", "Bearer " + TestServer.READ_TOKEN)
                  .statusCode())
          .isEqualTo(200);
      assertThat(server.get("/simple/", "Authorization", "Bearer wh_nope").statusCode())
          .isEqualTo(403);
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }
  }
}
