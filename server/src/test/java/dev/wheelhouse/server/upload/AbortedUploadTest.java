package dev.wheelhouse.server.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that hangs up halfway through an upload leaves nothing behind: no blob, no temp file.
 */
class AbortedUploadTest {
  @TempDir Path data;

  @Test
  void disconnectMidUploadLeavesNoTempFile() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      URI base = URI.create(server.url());
      String boundary = "----aborted";
      byte[] head =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n"
                  + "--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"content\";"
                  + " filename=\"gone-1.0-py3-none-any.whl\"\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      String auth =
          Base64.getEncoder()
              .encodeToString(
                  ("__token__:" + TestServer.UPLOAD_TOKEN).getBytes(StandardCharsets.UTF_8));
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /legacy/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                    + auth
                    + "\r\nContent-Type: multipart/form-data; boundary="
                    + boundary
                    + "\r\nContent-Length: 10000000\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(head);
        out.write(new byte[1_000_000]);
        out.flush();
        awaitTempFiles(data.resolve("tmp"), true);
      }
      // The connection is gone: the partial body must be deleted.
      awaitTempFiles(data.resolve("tmp"), false);
      assertThat(server.get("/simple/gone/").statusCode()).isEqualTo(404);
    }
  }

  private static void awaitTempFiles(Path tmp, boolean present) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      long count;
      try (Stream<Path> files = Files.list(tmp)) {
        count = files.count();
      }
      if ((count > 0) == present) {
        return;
      }
      assertThat(Instant.now())
          .as(present ? "upload reaching disk" : "partial upload removed")
          .isBefore(deadline);
      Thread.sleep(20);
    }
  }
}
