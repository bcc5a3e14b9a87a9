package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.Tokens;
import dev.wheelhouse.server.WheelhouseServer;
import dev.wheelhouse.server.testing.apt.AptRepoServer;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a server whose reads need a token, apt's requests do too, in every way they come in. */
class AptAccessTest {
  static final String TOKEN = "wh_apt-reader";
  static final String FILE = "dists/stable/InRelease";

  @TempDir Path tmp;
  AptRepoServer upstream;
  WheelhouseServer server;

  @BeforeEach
  void setUp() throws Exception {
    Path root = tmp.resolve("repo");
    Files.createDirectories(root.resolve("dists/stable"));
    Files.writeString(root.resolve(FILE), "Suite: stable\n");
    upstream = AptRepoServer.start(root);
    server =
        WheelhouseServer.start(
            ConfigLoader.parse(
                "listen: 127.0.0.1:0\n"
                    + "data: "
                    + tmp.resolve("data")
                    + "\n"
                    + "auth:\n"
                    + "  anonymous-read: false\n"
                    + "  tokens:\n"
                    + "    - name: apt\n"
                    + "      hash: \""
                    + Tokens.hash(TOKEN)
                    + "\"\n"
                    + "      roles: [read]\n"
                    + "apt:\n"
                    + "  mirrors:\n"
                    + "    - name: test\n"
                    + "      url: "
                    + upstream.baseUrl()
                    + "\n",
                "test"));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void theMirrorPathNeedsTheTokenAsBasicCredentialsLikeAptSendsThem() throws Exception {
    URI url = URI.create(server.baseUrl() + "/apt/test/" + FILE);
    HttpClient client = HttpClient.newHttpClient();

    HttpResponse<String> anonymous =
        client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> withToken =
        client.send(
            HttpRequest.newBuilder(url).header("Authorization", basic("__token__", TOKEN)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withToken.body()).isEqualTo("Suite: stable\n");
    assertThat(upstream.requests(FILE)).isEqualTo(1);
  }

  @Test
  void theForwardProxyAsksForProxyCredentials() throws Exception {
    String target = "http://127.0.0.1:" + upstream.port() + "/" + FILE;

    String anonymous = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    String withToken =
        raw(
            "GET "
                + target
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nProxy-Authorization: "
                + basic("__token__", TOKEN)
                + "\r\n\r\n");

    assertThat(anonymous).startsWith("HTTP/1.1 407").contains("Proxy-Authenticate: Basic");
    assertThat(withToken).startsWith("HTTP/1.1 200").endsWith("Suite: stable\n");
    assertThat(upstream.requests(FILE)).isEqualTo(1);
  }

  private String raw(String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
