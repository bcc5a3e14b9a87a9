package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.HostDebianMirror;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real apt-get, real Debian: the mirror this machine's own apt uses (read from {@code
 * /etc/apt/sources.list.d/}, never written down here), through the server, twice. The archive's
 * real signature is checked by apt on the way, so the cache must serve InRelease byte for byte; the
 * second round must not fetch anything from upstream.
 */
class DebianMirrorThroughServerTest {
  private static final Path KEYRING = HostDebianMirror.KEYRING;
  private static final String SUITE = "bookworm";
  // A real package with a few real dependencies (libjq1, libonig5, libc6, ...).
  private static final String PACKAGE = "jq";
  private static final Pattern MISSES =
      Pattern.compile(
          "wheelhouse_apt_requests_total\\{mirror=\"debian\",result=\"miss\"} ([0-9.E]+)");

  @TempDir Path tmp;
  TestServer server;
  URI mirror;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(AptGet.unavailableReason().isEmpty(), () -> AptGet.unavailableReason().get());
    assumeTrue(Files.isReadable(KEYRING), "no Debian archive keyring at " + KEYRING);
    Optional<URI> configured = HostDebianMirror.find(SUITE);
    assumeTrue(
        configured.isPresent(),
        "no Debian mirror in " + HostDebianMirror.SOURCES_DIR + "/*.sources");
    mirror = configured.get();
    assumeTrue(
        HostDebianMirror.reachable(mirror.resolve("dists/" + SUITE + "/InRelease")),
        () -> "the Debian mirror " + mirror + " is not reachable from here");
    server =
        TestServer.start(
            tmp.resolve("data"),
            "apt:\n  mirrors:\n    - name: debian\n      url: " + mirror + "\n      ttl: 5m\n");
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRealPackageAndItsDependenciesComeThroughTheCacheAndTheSecondTimeFromItAlone()
      throws Exception {
    String line =
        "deb [signed-by=" + KEYRING + "] " + server.url() + "/apt/debian " + SUITE + " main";

    Map<String, Long> first = updateAndDownload(AptGet.in(tmp.resolve("first")).source(line));
    double missesAfterFirst = misses();
    Map<String, Long> second = updateAndDownload(AptGet.in(tmp.resolve("second")).source(line));

    assertThat(first).containsKey(PACKAGE).hasSizeGreaterThan(2);
    assertThat(second).isEqualTo(first);
    assertThat(misses()).as("upstream fetches in the second round").isEqualTo(missesAfterFirst);
    // Every .deb was checked against the Packages index that passed through the cache.
    assertThat(metrics())
        .contains(
            "wheelhouse_apt_pool_downloads_total{check=\"index\",mirror=\"debian\"} "
                + first.size()
                + ".0")
        .doesNotContain("check=\"none\"");
  }

  @Test
  void theSameThroughTheForwardProxy() throws Exception {
    String line = "deb [signed-by=" + KEYRING + "] " + mirror + " " + SUITE + " main";
    URI proxy = URI.create(server.url() + "/");

    Map<String, Long> first =
        updateAndDownload(AptGet.in(tmp.resolve("first")).source(line).proxy(proxy));
    double missesAfterFirst = misses();
    Map<String, Long> second =
        updateAndDownload(AptGet.in(tmp.resolve("second")).source(line).proxy(proxy));

    assertThat(second).isEqualTo(first);
    assertThat(misses()).isEqualTo(missesAfterFirst);
  }

  /** apt-get update and install --download-only; the .debs it got: package → size. */
  private Map<String, Long> updateAndDownload(AptGet apt) throws IOException {
    apt.runTimeout(Duration.ofMinutes(10));
    AptGet.Result update = apt.update();
    assertThat(update.clean()).as(update.output()).isTrue();
    AptGet.Result install = apt.installDownloadOnly(PACKAGE);
    assertThat(install.clean()).as(install.output()).isTrue();
    Map<String, Long> debs = new TreeMap<>();
    for (Path deb : apt.downloadedDebs()) {
      String file = deb.getFileName().toString();
      debs.put(file.substring(0, file.indexOf('_')), Files.size(deb));
    }
    return debs;
  }

  private double misses() throws Exception {
    Matcher m = MISSES.matcher(metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private String metrics() throws Exception {
    return new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
  }
}
