package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.AptRepo;
import dev.wheelhouse.server.testing.apt.AptRepoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code apt-get} against a real repository through the real server, in each of the three ways
 * apt can be pointed at it. The upstream counts what it is asked for, so "cached" is checked where
 * it matters: at the upstream.
 */
class AptThroughServerTest {
  @TempDir Path tmp;
  AptRepo repo;
  AptRepoServer upstream;
  TestServer server;
  Path key;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(AptRepo.unavailableReason().isEmpty(), () -> AptRepo.unavailableReason().get());
    assumeTrue(AptGet.unavailableReason().isEmpty(), () -> AptGet.unavailableReason().get());
    repo =
        AptRepo.create(tmp.resolve("repo"))
            .addPackage("whtest-lib", "2.0+dfsg~1")
            .addPackage("whtest-app", "1.0", 200_000, "whtest-lib (>= 2.0)")
            .addPackage("whtest-other", "3.1")
            .publish();
    upstream = AptRepoServer.start(repo);
    key = AptRepo.exportPublicKey(tmp.resolve("key.gpg"));
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
  void aptThroughTheMirrorPathDownloadsImmutableFilesFromUpstreamOnce() throws Exception {
    server = startServer("5m");
    String line = repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key);

    Map<String, String> first = updateAndDownload(client("first").source(line));
    int poolGets = upstream.requestsUnder("pool/");
    int indexGets = upstream.requestsUnder("dists/");
    assertThat(poolGets).isEqualTo(2);
    assertThat(first).containsOnlyKeys("whtest-app", "whtest-lib");

    Map<String, String> second = updateAndDownload(client("second").source(line));

    assertThat(second).isEqualTo(first);
    assertThat(upstream.requestsUnder("pool/")).as(upstream.formattedLog()).isEqualTo(poolGets);
    assertThat(upstream.requestsUnder("dists/")).as(upstream.formattedLog()).isEqualTo(indexGets);
  }

  @Test
  void aptThroughTheForwardProxyUsesTheSameCacheEntries() throws Exception {
    server = startServer("5m");
    // First through the mirror path ...
    updateAndDownload(
        client("path")
            .source(repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key)));
    int poolGets = upstream.requestsUnder("pool/");

    // ... then as a proxy, twice: nothing more from upstream for immutable files.
    String direct = repo.sourceLine(upstream.baseUrl(), "signed-by=" + key);
    Map<String, String> viaProxy =
        updateAndDownload(client("proxy").source(direct).proxy(URI.create(server.url() + "/")));
    Map<String, String> again =
        updateAndDownload(client("proxy2").source(direct).proxy(URI.create(server.url() + "/")));

    assertThat(viaProxy).containsOnlyKeys("whtest-app", "whtest-lib");
    assertThat(again).isEqualTo(viaProxy);
    assertThat(upstream.requestsUnder("pool/")).as(upstream.formattedLog()).isEqualTo(poolGets);
  }

  @Test
  void aptThroughTheHostStylePathUsesTheSameCacheEntries() throws Exception {
    server = startServer("5m");
    String hostStyle = server.url() + "/127.0.0.1:" + upstream.port() + "/";
    Map<String, String> first =
        updateAndDownload(
            client("host").source(repo.sourceLine(URI.create(hostStyle), "signed-by=" + key)));
    int poolGets = upstream.requestsUnder("pool/");
    Map<String, String> second =
        updateAndDownload(
            client("path")
                .source(
                    repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key)));

    assertThat(second).isEqualTo(first);
    assertThat(upstream.requestsUnder("pool/")).isEqualTo(poolGets);
  }

  @Test
  void aMissingInReleaseIsA404SoAptFallsBackToReleaseAndItsSignature() throws Exception {
    repo.withoutInRelease().publish();
    server = startServer("5m");

    var inRelease = server.get("/apt/test/dists/stable/InRelease");
    assertThat(inRelease.statusCode()).isEqualTo(404);

    Map<String, String> debs =
        updateAndDownload(
            client("fallback")
                .source(
                    repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key)));
    assertThat(debs).containsKey("whtest-app");
    assertThat(upstream.requests("dists/stable/Release.gpg")).isEqualTo(1);
  }

  @Test
  void withUpstreamStoppedCachedPackagesAndStaleIndexesAreStillServed() throws Exception {
    // TTL 0: every index request revalidates, so the outage is met on every one of them.
    server = startServer("0s");
    String line = repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key);
    Map<String, String> before = updateAndDownload(client("warm").source(line));

    upstream.stop();
    Map<String, String> during = updateAndDownload(client("outage").source(line));

    assertThat(during).isEqualTo(before);
  }

  @Test
  void aRestartedServerServesItsCacheWithUpstreamGone() throws Exception {
    server = startServer("0s");
    String line = repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key);
    Map<String, String> before = updateAndDownload(client("before").source(line));
    server.close();
    upstream.stop();

    server = startServer("0s");
    String moved = repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key);
    Map<String, String> after = updateAndDownload(client("after").source(moved));

    assertThat(after).isEqualTo(before);
  }

  @Test
  void aCorruptedDebFromUpstreamIsNeverServed() throws Exception {
    server = startServer("5m");
    String line = repo.sourceLine(URI.create(server.url() + "/apt/test/"), "signed-by=" + key);
    AptGet apt = client("corrupt").source(line);
    assertThat(apt.update().succeeded()).isTrue();
    String deb = repo.debPath("whtest-app");
    byte[] good = repo.read(deb);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x55;
    upstream.serveInstead(deb, bad);

    var direct = server.get("/apt/test/" + deb);
    assertThat(direct.statusCode()).isEqualTo(502);
    assertThat(new String(direct.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("do not match");
    AptGet.Result install = apt.installDownloadOnly("whtest-app");
    assertThat(install.succeeded()).as(install.output()).isFalse();
    assertThat(apt.downloadedDebs())
        .noneMatch(p -> p.getFileName().toString().startsWith("whtest-app"));
    assertThat(server.get("/metrics").body())
        .asString()
        .contains("wheelhouse_apt_verification_failures_total{mirror=\"test\"}");

    upstream.serveNormally(deb);
    var repaired = server.get("/apt/test/" + deb);
    assertThat(repaired.statusCode()).isEqualTo(200);
    assertThat(sha256(repaired.body())).isEqualTo(repo.sha256(deb));
  }

  @Test
  void aCorruptedIndexIsNeverServedEitherByNameOrByHash() throws Exception {
    server = startServer("5m");
    assertThat(server.get("/apt/test/dists/stable/InRelease").statusCode()).isEqualTo(200);
    String packages = repo.indexPath("Packages.gz");
    String byHash = repo.byHashPath(packages);
    byte[] bad = repo.read(packages).clone();
    bad[10] ^= 0x01;
    upstream.serveInstead(packages, bad);
    upstream.serveInstead(byHash, bad);

    assertThat(server.get("/apt/test/" + byHash).statusCode()).isEqualTo(502);
    assertThat(server.get("/apt/test/" + packages).statusCode()).isEqualTo(502);

    upstream.serveNormally(packages);
    upstream.serveNormally(byHash);
    var good = server.get("/apt/test/" + packages);
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(sha256(good.body())).isEqualTo(repo.sha256(packages));
  }

  @Test
  void indexesServedMatchTheServedInReleaseWhileUpstreamMovesOn() throws Exception {
    server = startServer("5m");
    var inRelease = server.get("/apt/test/dists/stable/InRelease");
    String packages = repo.indexPath("Packages");
    String listedSha = repo.sha256(packages);

    // Upstream publishes a new state; the server keeps serving the InRelease it has (TTL).
    repo.addPackage("whtest-new", "1.0").publish();
    assertThat(repo.sha256(packages)).isNotEqualTo(listedSha);

    var served = server.get("/apt/test/" + packages);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(sha256(served.body())).isEqualTo(listedSha);
    assertThat(server.get("/apt/test/dists/stable/InRelease").body()).isEqualTo(inRelease.body());
  }

  @Test
  void byHashIgnoresTheAcceptHeaderAndReturnsTheCompressedBytes() throws Exception {
    server = startServer("5m");
    assertThat(server.get("/apt/test/dists/stable/InRelease").statusCode()).isEqualTo(200);
    String byHash = repo.byHashPath(repo.indexPath("Packages.gz"));

    for (String accept : List.of("text/*", "*/*", "application/json")) {
      var response = server.get("/apt/test/" + byHash, "Accept", accept);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(sha256(response.body())).isEqualTo(repo.sha256(repo.indexPath("Packages.gz")));
    }
    assertThat(upstream.requests(byHash)).isEqualTo(1);
  }

  private TestServer startServer(String ttl) throws Exception {
    return TestServer.start(
        tmp.resolve("data"),
        "apt:\n"
            + "  mirrors:\n"
            + "    - name: test\n"
            + "      url: "
            + upstream.baseUrl()
            + "\n"
            + "      ttl: "
            + ttl
            + "\n");
  }

  private AptGet client(String name) {
    return AptGet.in(tmp.resolve("apt-" + name));
  }

  /** apt-get update and install --download-only whtest-app; the .debs it got: package → sha256. */
  private Map<String, String> updateAndDownload(AptGet apt) throws IOException {
    AptGet.Result update = apt.update();
    assertThat(update.clean()).as(update.output()).isTrue();
    AptGet.Result install = apt.installDownloadOnly("whtest-app");
    assertThat(install.clean()).as(install.output()).isTrue();
    Map<String, String> debs = new TreeMap<>();
    for (Path deb : apt.downloadedDebs()) {
      String file = deb.getFileName().toString();
      debs.put(file.substring(0, file.indexOf('_')), sha256(Files.readAllBytes(deb)));
    }
    for (String name : List.of("whtest-app", "whtest-lib")) {
      assertThat(debs.get(name)).isEqualTo(repo.sha256(repo.debPath(name)));
    }
    return debs;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(InputStream in) throws IOException {
    return sha256(in.readAllBytes());
  }
}
