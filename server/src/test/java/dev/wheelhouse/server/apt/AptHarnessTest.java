package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.AptRepo;
import dev.wheelhouse.server.testing.apt.AptRepoServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the apt fixtures: real {@code apt-get} (isolated configuration) against a real repository
 * ({@link AptRepo}) served by a real HTTP server ({@link AptRepoServer}), no wheelhouse server
 * involved.
 */
class AptHarnessTest {
  private static final String APP = "whtest-app";
  private static final String LIB = "whtest-lib";
  private static final String APP_VERSION = "1.0+dfsg~1";

  @TempDir Path tmp;

  @BeforeAll
  static void toolsPresent() {
    Optional<String> reason = AptRepo.unavailableReason().or(AptGet::unavailableReason);
    assumeTrue(reason.isEmpty(), () -> "skipping apt harness tests: " + reason.orElse(""));
  }

  /** {@code signed-by=<exported public key>}: apt verifies InRelease or Release.gpg for real. */
  private String signedBy() {
    return "signed-by=" + AptRepo.exportPublicKey(tmp.resolve("keys/wheelhouse-test.gpg"));
  }

  private AptRepo twoPackages(Path dir) {
    return AptRepo.create(dir)
        .addPackage(LIB, "2.0")
        .addPackage(APP, APP_VERSION, LIB + " (>= 2.0)")
        .publish();
  }

  @Test
  void configurationIgnoresTheMachinesAptConfig() {
    AptGet apt = AptGet.in(tmp.resolve("apt"));
    String dump = apt.configDump().assertSuccess().output();

    assertThat(dump)
        .contains("Dir::Etc::parts \"" + tmp.resolve("apt/etc/apt/apt.conf.d") + "\";")
        .contains("Dir::Etc::main \"/dev/null\";")
        .contains("Debug::NoLocking \"true\";")
        .contains("APT::Sandbox::User \"root\";")
        .contains("Acquire::Languages:: \"none\";")
        .contains("Dir::State::status \"" + tmp.resolve("apt/state/status") + "\";");
    // Settings that files under /etc/apt/apt.conf.d commonly add (docker images, packagekit,
    // proxies): none of them may leak in.
    assertThat(dump.toLowerCase(Locale.ROOT))
        .doesNotContain("proxy")
        .doesNotContain("post-invoke")
        .doesNotContain("pre-invoke")
        .doesNotContain("gzipindexes")
        .doesNotContain("check-date")
        .doesNotContain("dep-11")
        .doesNotContain("neverautoremove");
    assertThat(dump).doesNotContain("\"/etc/apt").doesNotContain("\"/var/lib/apt");
    assertThat(apt.environment().keySet())
        .noneMatch(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"))
        .contains("APT_CONFIG");
  }

  @Test
  void updateAndDownloadFromATrustedRepository() throws IOException {
    AptRepo repo = twoPackages(tmp.resolve("repo"));
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      AptGet apt =
          AptGet.in(tmp.resolve("apt")).source(repo.sourceLine(upstream.baseUrl(), "trusted=yes"));

      // trusted=yes: apt still checks the signature and only warns that it lacks the key.
      assertThat(apt.update().assertSuccess().warnings())
          .allMatch(w -> w.startsWith("W: GPG error:") && w.contains("NO_PUBKEY"));
      apt.installDownloadOnly(APP).assertClean();

      assertThat(apt.downloadedDebs())
          .extracting(p -> p.getFileName().toString())
          .containsExactly(
              // apt stores the file with ':' and other specials percent-encoded; '+' and '~' stay.
              APP + "_" + APP_VERSION + "_amd64.deb", LIB + "_2.0_amd64.deb");
      for (Path deb : apt.downloadedDebs()) {
        String name = deb.getFileName().toString().startsWith(APP) ? APP : LIB;
        assertThat(sha256(deb)).as(name).isEqualTo(repo.sha256(repo.debPath(name)));
      }
      String log = upstream.formattedLog();
      assertThat(upstream.requests("dists/stable/InRelease")).as(log).isEqualTo(1);
      assertThat(upstream.requests("dists/stable/Release")).as(log).isZero();
      assertThat(upstream.requests(repo.debPath(APP))).as(log).isEqualTo(1);
      assertThat(upstream.requests(repo.debPath(LIB))).as(log).isEqualTo(1);
      assertThat(upstream.requestsUnder(repo.distPath() + "/main/binary-amd64/by-hash/SHA256/"))
          .as(log)
          .isEqualTo(1);
      assertThat(upstream.requestLog()).as(log).allMatch(line -> line.endsWith(" 200"));
      System.out.println("apt-get update + install --download-only:\n" + log);
    }
  }

  @Test
  void withoutInReleaseAptFallsBackToReleaseAndReleaseGpg() throws IOException {
    AptRepo repo = AptRepo.create(tmp.resolve("repo")).withoutInRelease();
    repo.addPackage(LIB, "2.0").addPackage(APP, APP_VERSION, LIB).publish();
    assertThat(repo.root().resolve("dists/stable/InRelease")).doesNotExist();
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      AptGet apt =
          AptGet.in(tmp.resolve("apt")).source(repo.sourceLine(upstream.baseUrl(), signedBy()));

      apt.update().assertClean();
      apt.installDownloadOnly(APP).assertClean();

      String log = upstream.formattedLog();
      assertThat(upstream.requestLog())
          .as(log)
          .containsSubsequence(
              "GET /dists/stable/InRelease 404",
              "GET /dists/stable/Release 200",
              "GET /dists/stable/Release.gpg 200");
      assertThat(apt.downloadedDebs()).hasSize(2);
      System.out.println("apt-get update without InRelease:\n" + log);
    }
  }

  @Test
  void unsignedRepositoryWithTrustedYes() throws IOException {
    AptRepo repo = AptRepo.create(tmp.resolve("repo")).unsigned();
    repo.addPackage(APP, APP_VERSION).publish();
    assertThat(repo.root().resolve("dists/stable/Release.gpg")).doesNotExist();
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      AptGet apt =
          AptGet.in(tmp.resolve("apt")).source(repo.sourceLine(upstream.baseUrl(), "trusted=yes"));

      apt.update().assertClean();
      apt.installDownloadOnly(APP).assertClean();

      String log = upstream.formattedLog();
      assertThat(upstream.requestLog())
          .as(log)
          .containsSubsequence(
              "GET /dists/stable/InRelease 404",
              "GET /dists/stable/Release 200",
              "GET /dists/stable/Release.gpg 404");
      assertThat(apt.downloadedDebs()).hasSize(1);
      System.out.println("apt-get update, unsigned repository:\n" + log);
    }
  }

  @Test
  void signedByVerifiesRealSignatures() throws IOException {
    AptRepo repo = twoPackages(tmp.resolve("repo"));
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      String line = repo.sourceLine(upstream.baseUrl(), signedBy());
      AptGet apt = AptGet.in(tmp.resolve("apt")).source(line);

      apt.update().assertClean();
      apt.installDownloadOnly(APP).assertClean();
      assertThat(apt.downloadedDebs()).hasSize(2);

      // A changed byte in the signed text: apt must reject the InRelease.
      byte[] inRelease = repo.read("dists/stable/InRelease");
      String tampered =
          new String(inRelease, StandardCharsets.UTF_8)
              .replace("Label: Wheelhouse Tests", "Label: Wheelhouse Tezts");
      upstream.serveInstead("dists/stable/InRelease", tampered.getBytes(StandardCharsets.UTF_8));
      AptGet fresh = AptGet.in(tmp.resolve("apt-tampered")).source(line);
      AptGet.Result bad = fresh.update();
      assertThat(bad.clean()).as(bad.output()).isFalse();
      assertThat(bad.output()).contains("BADSIG");

      // A key that did not sign the repository: rejected too.
      Path other = tmp.resolve("keys/empty.gpg");
      Files.write(other, new byte[0]);
      upstream.serveNormally("dists/stable/InRelease");
      AptGet wrongKey =
          AptGet.in(tmp.resolve("apt-wrong-key"))
              .source(repo.sourceLine(upstream.baseUrl(), "signed-by=" + other));
      AptGet.Result unknown = wrongKey.update();
      assertThat(unknown.clean()).as(unknown.output()).isFalse();
      assertThat(unknown.output()).contains("NO_PUBKEY " + AptRepo.keyFingerprint().substring(24));
    }
  }

  @Test
  void secondUpdateRevalidatesAndSeesARepublish() throws IOException {
    AptRepo repo = twoPackages(tmp.resolve("repo"));
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      AptGet apt =
          AptGet.in(tmp.resolve("apt")).source(repo.sourceLine(upstream.baseUrl(), signedBy()));
      apt.update().assertClean();
      upstream.resetCounters();

      apt.update().assertClean();
      String log = upstream.formattedLog();
      assertThat(upstream.requestLog()).as(log).containsExactly("GET /dists/stable/InRelease 304");
      assertThat(upstream.exchanges().get(0).header("If-Modified-Since")).as(log).isNotNull();
      System.out.println("second apt-get update:\n" + log);

      upstream.resetCounters();
      String oldIndex = repo.sha256(repo.indexPath("Packages"));
      repo.addPackage("whtest-extra", "0.1~beta+2").publish();
      assertThat(repo.sha256(repo.indexPath("Packages"))).isNotEqualTo(oldIndex);
      apt.update().assertClean();
      log = upstream.formattedLog();
      assertThat(upstream.requestLog())
          .as(log)
          .first()
          .isEqualTo("GET /dists/stable/InRelease 200");
      assertThat(upstream.requestsUnder(repo.distPath() + "/main/binary-amd64/by-hash/"))
          .as(log)
          .isEqualTo(1);
      System.out.println("apt-get update after a republish:\n" + log);

      upstream.resetCounters();
      apt.installDownloadOnly("whtest-extra").assertClean();
      assertThat(apt.downloadedDebs())
          .extracting(p -> p.getFileName().toString())
          .containsExactly("whtest-extra_0.1~beta+2_amd64.deb");
      System.out.println(
          "apt-get install --download-only whtest-extra:\n" + upstream.formattedLog());
    }
  }

  @Test
  void upstreamFaultsAreSeenByApt() throws IOException {
    AptRepo repo = twoPackages(tmp.resolve("repo"));
    try (AptRepoServer upstream = AptRepoServer.start(repo)) {
      AptGet apt =
          AptGet.in(tmp.resolve("apt")).source(repo.sourceLine(upstream.baseUrl(), signedBy()));
      apt.update().assertClean();

      byte[] deb = repo.read(repo.debPath(LIB));
      byte[] corrupt = deb.clone();
      corrupt[corrupt.length / 2] ^= 0x5a;
      upstream.serveInstead(repo.debPath(LIB), corrupt);
      AptGet.Result result = apt.installDownloadOnly(APP);
      assertThat(result.succeeded()).as(result.output()).isFalse();
      assertThat(result.output()).containsIgnoringCase("hash sum mismatch");
      upstream.serveNormally(repo.debPath(LIB));

      upstream.stop();
      AptGet.Result down = apt.installDownloadOnly(APP);
      assertThat(down.succeeded()).as(down.output()).isFalse();
      upstream.restart();

      upstream.failNext(1, 503);
      AptGet.Result failed = apt.update();
      assertThat(failed.clean()).as(failed.output()).isFalse();
      assertThat(upstream.requestLog()).contains("GET /dists/stable/InRelease 503");

      apt.clearArchives();
      apt.installDownloadOnly(APP).assertClean();
      assertThat(apt.downloadedDebs()).hasSize(2);
    }
  }

  @Test
  void upstreamServesLikeAMirrorAndRepublishesAtomically() throws Exception {
    AptRepo repo = twoPackages(tmp.resolve("repo"));
    String release = repo.distPath() + "/Release";
    String firstByHash = repo.byHashPath(repo.indexPath("Packages.gz"));
    Instant firstMtime = Files.getLastModifiedTime(repo.root().resolve(release)).toInstant();
    repo.addPackage("whtest-extra", "1.0").publish(); // within the same second, usually
    assertThat(Files.getLastModifiedTime(repo.root().resolve(release)).toInstant())
        .isAfterOrEqualTo(firstMtime.plusSeconds(1));
    assertThat(repo.root().resolve(firstByHash)).as("old by-hash files stay").exists();
    assertThat(repo.byHashPath(repo.indexPath("Packages.gz"))).isNotEqualTo(firstByHash);
    Files.writeString(repo.root().resolve("pool/main/w/with space.txt"), "spaced");

    try (AptRepoServer upstream = AptRepoServer.start(repo, "debian")) {
      HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      URI base = upstream.baseUrl();
      assertThat(base.toString()).isEqualTo("http://127.0.0.1:" + upstream.port() + "/debian/");
      String app = repo.debPath(APP).replace("+", "%2B").replace("~", "%7E");

      HttpResponse<byte[]> deb =
          http.send(get(base.resolve(app)).build(), BodyHandlers.ofByteArray());
      assertThat(deb.statusCode()).isEqualTo(200);
      assertThat(deb.body()).isEqualTo(repo.read(repo.debPath(APP)));
      assertThat(deb.headers().firstValue("Content-Length"))
          .hasValue(Long.toString(repo.size(repo.debPath(APP))));
      String etag = deb.headers().firstValue("ETag").orElseThrow();
      String lastModified = deb.headers().firstValue("Last-Modified").orElseThrow();
      assertThat(upstream.requests(repo.debPath(APP))).isEqualTo(1);

      assertThat(status(http, get(base.resolve(app)).header("If-None-Match", etag))).isEqualTo(304);
      assertThat(status(http, get(base.resolve(app)).header("If-Modified-Since", lastModified)))
          .isEqualTo(304);
      HttpResponse<byte[]> range =
          http.send(
              get(base.resolve(app)).header("Range", "bytes=10-").header("If-Range", etag).build(),
              BodyHandlers.ofByteArray());
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body().length).isEqualTo(repo.size(repo.debPath(APP)) - 10);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(base.resolve(app))
                          .method("HEAD", HttpRequest.BodyPublishers.noBody())
                          .build(),
                      BodyHandlers.discarding())
                  .statusCode())
          .isEqualTo(200);
      assertThat(status(http, get(base.resolve("pool/main/w/with%20space.txt")))).isEqualTo(200);
      assertThat(status(http, get(base.resolve("dists/stable/nope")))).isEqualTo(404);
      assertThat(status(http, get(base.resolve("dists/%2e%2e/%2e%2e/etc/passwd")))).isEqualTo(400);
      assertThat(status(http, get(base.resolve("/" + release))))
          .as("outside the mount")
          .isEqualTo(404);

      upstream.failNext(1, 500);
      assertThat(status(http, get(base.resolve(release)))).isEqualTo(500);
      assertThat(status(http, get(base.resolve(release)))).isEqualTo(200);
      upstream.serveInstead(release, "short".getBytes(StandardCharsets.UTF_8));
      assertThat(http.send(get(base.resolve(release)).build(), BodyHandlers.ofString()).body())
          .isEqualTo("short");
      upstream.serveNormally(release);

      upstream.stop();
      assertThat(upstream.running()).isFalse();
      upstream.restart();
      assertThat(status(http, get(base.resolve(release)))).isEqualTo(200);
      assertThat(upstream.requests(release)).isEqualTo(4);
      assertThat(upstream.requests("HEAD", repo.debPath(APP))).isEqualTo(1);
      assertThat(upstream.fileGets("_amd64.deb")).isEqualTo(4);
      assertThat(upstream.requestsUnder("pool/")).isEqualTo(5);
      assertThat(upstream.requestLog())
          .startsWith(
              "GET /" + repo.debPath(APP) + " 200",
              "GET /" + repo.debPath(APP) + " 304",
              "GET /" + repo.debPath(APP) + " 304",
              "GET /" + repo.debPath(APP) + " 206");
      assertThat(upstream.exchanges().get(0).rawTarget()).contains("%2B").contains("%7E");
      upstream.resetCounters();
      assertThat(upstream.totalRequests()).isZero();
    }
  }

  private static HttpRequest.Builder get(URI uri) {
    return HttpRequest.newBuilder(uri).GET();
  }

  private static int status(HttpClient http, HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), BodyHandlers.discarding()).statusCode();
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
