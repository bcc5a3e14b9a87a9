package dev.wheelhouse.server.testing;

import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.Tokens;
import dev.wheelhouse.config.WheelhouseConfig;
import dev.wheelhouse.server.WheelhouseServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * A real server on a free port over a data directory, configured the way users write it: a hosted
 * index {@code local}, a second hosted index {@code extra}, a group {@code all} over both, and
 * tokens for upload and admin.
 */
public final class TestServer implements AutoCloseable {
  public static final String UPLOAD_TOKEN = "wh_test-upload-token";
  public static final String ADMIN_TOKEN = "wh_test-admin-token";
  public static final String READ_TOKEN = "wh_test-read-token";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private final WheelhouseServer server;
  private final Path data;

  private TestServer(WheelhouseServer server, Path data) {
    this.server = server;
    this.data = data;
  }

  public static TestServer start(Path data) throws Exception {
    return start(data, "");
  }

  /** Starts over {@code data}; {@code extraYaml} is appended to the standard test config. */
  public static TestServer start(Path data, String extraYaml) throws Exception {
    return new TestServer(WheelhouseServer.start(config(data, extraYaml)), data);
  }

  /**
   * Starts over {@code data} with the test tokens and the given indexes and other keys, written as
   * YAML (e.g. a proxy of an {@code UpstreamIndex} in a group).
   */
  public static TestServer startWithIndexes(Path data, String yaml) throws Exception {
    String config = "listen: 127.0.0.1:0\n" + "data: " + data + "\n" + authYaml(true) + yaml;
    return new TestServer(WheelhouseServer.start(ConfigLoader.parse(config, "test")), data);
  }

  /** Starts over {@code data} with every read needing a token. */
  public static TestServer startPrivate(Path data) throws Exception {
    return new TestServer(
        WheelhouseServer.start(ConfigLoader.parse(configYaml(data, "", false), "test")), data);
  }

  /**
   * The usual indexes of a proxy test: hosted {@code local}, a proxy {@code pypi} of {@code
   * upstreamSimple}, and their group {@code all}, the default index; uploads go to {@code local}.
   */
  public static String hostedAndProxyIndexes(URI upstreamSimple) {
    return "indexes:\n"
        + "  - name: local\n    type: hosted\n"
        + "  - name: pypi\n    type: proxy\n    url: "
        + upstreamSimple
        + "\n"
        + "  - name: all\n    type: group\n    members: [local, pypi]\n"
        + "default-index: all\n"
        + "upload:\n  index: local\n";
  }

  public static String configYaml(Path data, String extraYaml) {
    return configYaml(data, extraYaml, true);
  }

  private static String configYaml(Path data, String extraYaml, boolean anonymousRead) {
    return "listen: 127.0.0.1:0\n"
        + "data: "
        + data
        + "\n"
        + authYaml(anonymousRead)
        + "indexes:\n"
        + "  - name: local\n"
        + "    type: hosted\n"
        + "  - name: extra\n"
        + "    type: hosted\n"
        + "  - name: all\n"
        + "    type: group\n"
        + "    members: [local, extra]\n"
        + "default-index: all\n"
        + "upload:\n"
        + "  index: local\n"
        + extraYaml;
  }

  private static String authYaml(boolean anonymousRead) {
    return "auth:\n"
        + "  anonymous-read: "
        + anonymousRead
        + "\n"
        + "  tokens:\n"
        + "    - name: ci\n"
        + "      hash: \""
        + Tokens.hash(UPLOAD_TOKEN)
        + "\"\n"
        + "      roles: [upload]\n"
        + "    - name: admin\n"
        + "      hash: \""
        + Tokens.hash(ADMIN_TOKEN)
        + "\"\n"
        + "      roles: [upload, admin]\n"
        + "    - name: reader\n"
        + "      hash: \""
        + Tokens.hash(READ_TOKEN)
        + "\"\n"
        + "      roles: [read]\n";
  }

  public static WheelhouseConfig config(Path data, String extraYaml) throws Exception {
    return ConfigLoader.parse(configYaml(data, extraYaml), "test");
  }

  public String url() {
    return server.baseUrl();
  }

  public Path data() {
    return data;
  }

  public HttpResponse<byte[]> get(String path, String... headers)
      throws IOException, InterruptedException {
    return send("GET", path, headers);
  }

  public HttpResponse<byte[]> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> upload(Path file, String name, String version)
      throws IOException, InterruptedException {
    return MultipartUpload.of(file, name, version).token(UPLOAD_TOKEN).post(url() + "/legacy/");
  }

  @Override
  public void close() {
    server.close();
  }
}
