package dev.wheelhouse.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
  @TempDir Path data;
  @TempDir Path work;

  @Test
  void aRestartKeepsFilesMetadataAndYanks() throws Exception {
    Path wheel = TestWheels.wheel(work, "durable", "1.0", "py3-none-any");
    Path second = TestWheels.wheel(work, "durable", "2.0", "py3-none-any");
    String htmlBefore;
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.upload(wheel, "durable", "1.0").statusCode()).isEqualTo(200);
      assertThat(server.upload(second, "durable", "2.0").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> yank =
          server.send(
              "PUT",
              "/admin/indexes/local/projects/durable/files/durable-2.0-py3-none-any.whl/yank",
              "Authorization",
              "Bearer " + TestServer.ADMIN_TOKEN);
      assertThat(yank.statusCode()).isEqualTo(200);
      htmlBefore = new String(server.get("/simple/durable/").body(), StandardCharsets.UTF_8);
    }
    try (TestServer server = TestServer.start(data)) {
      String htmlAfter = new String(server.get("/simple/durable/").body(), StandardCharsets.UTF_8);
      assertThat(htmlAfter).isEqualTo(htmlBefore).contains("data-yanked=\"\"");
      assertThat(server.get("/files/local/durable/durable-1.0-py3-none-any.whl").body())
          .isEqualTo(Files.readAllBytes(wheel));
      assertThat(server.get("/files/local/durable/durable-1.0-py3-none-any.whl.metadata").body())
          .isEqualTo(TestWheels.metadataOf(wheel));
      // Uploading the same bytes again after the restart is still "already there".
      assertThat(server.upload(wheel, "durable", "1.0").body()).contains("already exists");
    }
  }
}
