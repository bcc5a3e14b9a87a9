package dev.wheelhouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.AdminRequests;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API of the storage lifecycle on a real server with a real upstream: dry runs change
 * nothing, prunes evict only caches, pruned files come back from upstream, and bad requests get a
 * reason.
 */
class LifecycleApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir Path tmp;
  UpstreamIndex upstream;
  TestServer server;
  Path hostedWheel;
  final List<Path> proxied = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    UpstreamTree tree = UpstreamTree.in(tmp.resolve("upstream"));
    for (String project : List.of("alpha", "beta", "gamma")) {
      Path wheel = TestWheels.wheel(tmp.resolve("w"), project, "1.0", "py3-none-any");
      tree.add(project, wheel);
      proxied.add(wheel);
    }
    upstream = UpstreamIndex.start(tree);
    server =
        TestServer.startWithIndexes(
            tmp.resolve("data"),
            "indexes:\n"
                + "  - name: local\n    type: hosted\n"
                + "  - name: pypi\n    type: proxy\n    url: "
                + upstream.simpleUrl()
                + "\n"
                + "  - name: all\n    type: group\n    members: [local, pypi]\n"
                + "default-index: all\nupload:\n  index: local\n");
    hostedWheel = TestWheels.wheel(tmp.resolve("h"), "hosted", "1.0", "py3-none-any");
    assertThat(server.upload(hostedWheel, "hosted", "1.0").statusCode()).isEqualTo(200);
    for (Path wheel : proxied) {
      assertThat(download(wheel).statusCode()).isEqualTo(200);
    }
    upstream.resetCounters();
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
  void aDryRunListsOnlyCachedFilesAndChangesNothing() throws Exception {
    JsonNode report = result(post("/admin/prune", "{\"maxSize\": \"1\"}"));

    assertThat(report.get("applied").asBoolean()).isFalse();
    assertThat(report.get("entriesSelected").asLong()).isEqualTo(proxied.size());
    List<String> names = new ArrayList<>();
    report.get("files").forEach(f -> names.add(f.get("name").asText()));
    assertThat(names)
        .containsExactlyInAnyOrderElementsOf(
            proxied.stream().map(p -> p.getFileName().toString()).toList());
    for (Path wheel : proxied) {
      assertThat(download(wheel).statusCode()).isEqualTo(200);
    }
    assertThat(upstream.totalRequests()).as("nothing was deleted").isZero();
  }

  @Test
  void applyEvictsCachedFilesWhichComeBackFromUpstreamWhileUploadsStay() throws Exception {
    JsonNode report = result(post("/admin/prune", "{\"maxSize\": \"1\", \"apply\": true}"));

    assertThat(report.get("applied").asBoolean()).isTrue();
    assertThat(report.get("entriesSelected").asLong()).isEqualTo(proxied.size());
    assertThat(report.get("bytesFreed").asLong()).isPositive();
    // The hosted upload is untouched.
    HttpResponse<byte[]> hosted = server.get("/files/local/hosted/" + hostedWheel.getFileName());
    assertThat(hosted.statusCode()).isEqualTo(200);
    assertThat(hosted.body()).isEqualTo(Files.readAllBytes(hostedWheel));
    // Pages still work, and a pruned file is fetched again with the right bytes.
    assertThat(server.get("/simple/alpha/").statusCode()).isEqualTo(200);
    for (Path wheel : proxied) {
      HttpResponse<byte[]> again = download(wheel);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(sha256(again.body())).isEqualTo(sha256(Files.readAllBytes(wheel)));
      assertThat(upstream.fileRequests(wheel.getFileName().toString())).isEqualTo(1);
    }
    // The last prune shows in the stats.
    JsonNode stats = JSON.readTree(get("/admin/stats").body());
    assertThat(stats.get("lastPrune").get("applied").asBoolean()).isTrue();
  }

  @Test
  void theLeastRecentlyUsedFilesGoFirstCountingDownloadsNotYetWritten() throws Exception {
    // alpha, beta, gamma were downloaded in that order; alpha again now: beta and gamma are older.
    assertThat(download(proxied.get(0)).statusCode()).isEqualTo(200);
    long keep = Files.size(proxied.get(0));

    JsonNode report = result(post("/admin/prune", "{\"maxSize\": \"" + keep + "\"}"));

    List<String> names = new ArrayList<>();
    report.get("files").forEach(f -> names.add(f.get("name").asText()));
    assertThat(names)
        .containsExactly(
            proxied.get(1).getFileName().toString(), proxied.get(2).getFileName().toString());
  }

  @Test
  void garbageCollectionAndVerificationReportOnAConsistentStore() throws Exception {
    JsonNode gc = result(post("/admin/gc", "{}"));
    assertThat(gc.get("applied").asBoolean()).isFalse();
    assertThat(gc.get("orphanBlobs").asLong()).isZero();

    JsonNode verify = result(post("/admin/verify", "{\"sample\": 1.0}"));
    assertThat(verify.get("corrupt").asLong()).isZero();
    assertThat(verify.get("checked").asLong()).isGreaterThanOrEqualTo(proxied.size() + 1);
  }

  @Test
  void verifyQuarantinesABlobAlteredOnDiskAndTheFileIsFetchedAgain() throws Exception {
    Path wheel = proxied.get(0);
    String sha = sha256(Files.readAllBytes(wheel));
    Path blob = blobPath(sha);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(blob, bytes);

    JsonNode verify = result(post("/admin/verify", "{}"));

    assertThat(verify.get("corrupt").asLong()).isEqualTo(1);
    JsonNode corrupt = verify.get("corruptBlobs").get(0);
    assertThat(corrupt.get("sha256").asText()).isEqualTo(sha);
    assertThat(Files.readAllBytes(Path.of(corrupt.get("quarantinedTo").asText()))).isEqualTo(bytes);
    HttpResponse<byte[]> again = download(wheel);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(sha256(again.body())).isEqualTo(sha);
    assertThat(upstream.fileRequests(wheel.getFileName().toString())).isEqualTo(1);
  }

  @Test
  void statsShowTheStoreByIndexAndKind() throws Exception {
    JsonNode stats = JSON.readTree(get("/admin/stats").body());

    long proxiedBytes = 0;
    for (Path wheel : proxied) {
      proxiedBytes += Files.size(wheel);
    }
    JsonNode pypi = owner(stats, "pypi");
    assertThat(pypi.get("kind").asText()).isEqualTo("proxy");
    assertThat(pypi.get("files").asLong()).isEqualTo(proxied.size());
    assertThat(pypi.get("bytes").asLong()).isEqualTo(proxiedBytes);
    JsonNode local = owner(stats, "local");
    assertThat(local.get("kind").asText()).isEqualTo("hosted");
    assertThat(local.get("bytes").asLong()).isEqualTo(Files.size(hostedWheel));
    assertThat(stats.get("fetchedBytes").asLong()).isGreaterThanOrEqualTo(proxiedBytes);
  }

  @Test
  void badRequestsAndMissingRightsGetAReason() throws Exception {
    assertThat(post("/admin/prune", "{\"maxSize\": \"lots\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> hosted = post("/admin/prune", "{\"indexes\": [\"local\"]}");
    assertThat(hosted.statusCode()).isEqualTo(400);
    assertThat(hosted.body()).contains("hosted index");
    assertThat(post("/admin/prune", "{\"indexes\": [\"nope\"]}").body())
        .contains("no index or apt mirror named 'nope'");
    assertThat(post("/admin/verify", "{\"sample\": 2}").statusCode()).isEqualTo(400);
    assertThat(post("/admin/prune", "not json").statusCode()).isEqualTo(400);

    HttpResponse<String> anonymous =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/admin/prune"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> uploader =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/admin/prune"))
                .header("Authorization", "Bearer " + TestServer.UPLOAD_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(uploader.statusCode()).isEqualTo(403);
  }

  private HttpResponse<byte[]> download(Path wheel) throws Exception {
    String name = wheel.getFileName().toString();
    String project = name.substring(0, name.indexOf('-'));
    return server.get("/files/pypi/" + project + "/" + name);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return AdminRequests.post(server.url(), path, body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return AdminRequests.get(server.url(), path);
  }

  private static JsonNode result(HttpResponse<String> response) throws Exception {
    return AdminRequests.result(response);
  }

  private static JsonNode owner(JsonNode stats, String name) {
    for (JsonNode owner : stats.get("owners")) {
      if (owner.get("name").asText().equals(name)) {
        return owner;
      }
    }
    throw new AssertionError("no owner " + name + " in " + stats);
  }

  private Path blobPath(String sha) throws Exception {
    try (Stream<Path> files = Files.walk(tmp.resolve("data").resolve("blobs"))) {
      return files.filter(p -> p.getFileName().toString().equals(sha)).findFirst().orElseThrow();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
