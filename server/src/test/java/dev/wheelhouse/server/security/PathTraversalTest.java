package dev.wheelhouse.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that try to name something outside the data directory get a 4xx and read nothing. Sent
 * over a raw socket so that no client library normalizes the path first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathTraversalTest {
  @TempDir static Path root;
  @TempDir static Path work;
  TestServer server;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(root.resolve("data"));
    Files.writeString(root.resolve("secret.txt"), "top secret");
    Path wheel = TestWheels.wheel(work, "safe", "1.0", "py3-none-any");
    assertThat(server.upload(wheel, "safe", "1.0").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/simple/..%2F..%2Fsecret.txt/",
        "/simple/%2e%2e/",
        "/simple/%2e%2e%2f%2e%2e%2fsecret.txt/",
        "/simple/safe%00/",
        "/simple/%00/",
        "/simple/%2Fetc%2Fpasswd/",
        "/simple/safe%ZZ/",
        "/files/local/safe/..%2F..%2F..%2Fsecret.txt",
        "/files/local/safe/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/files/local/%2e%2e/safe-1.0-py3-none-any.whl",
        "/files/local/safe/safe-1.0-py3-none-any.whl%00.metadata",
        "/files/local/safe/%2Fetc%2Fpasswd",
        "/files/%2e%2e/safe/safe-1.0-py3-none-any.whl",
        "/files/local/safe/..",
        "/files/local/safe/safe-1.0-py3-none-any.whl/..%2F..%2Fmeta",
        "/index/..%2F..%2F/simple/safe/",
        "/simple/../../secret.txt",
        "/files/../../secret.txt",
        "/files/local/safe/../../../secret.txt",
      })
  void traversalAttemptsAreClient4xx(String path) throws Exception {
    String response = rawGet(path);
    int status = Integer.parseInt(response.substring(9, 12));
    assertThat(status)
        .as(path + " -> " + response.lines().findFirst().orElse(""))
        .isBetween(400, 499);
    assertThat(response).doesNotContain("top secret");
    try (Stream<Path> siblings = Files.list(root)) {
      assertThat(siblings.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("data", "secret.txt");
    }
  }

  private String rawGet(String path) throws IOException {
    URI base = URI.create(server.url());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
