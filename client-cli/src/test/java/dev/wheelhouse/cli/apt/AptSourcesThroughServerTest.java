package dev.wheelhouse.cli.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.cli.Main;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.AptRepo;
import dev.wheelhouse.server.testing.apt.AptRepoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code wheelhouse apt-sources} prints is what apt needs: real apt-get, given only those
 * lines, updates and downloads a package with its dependency through a real server.
 */
class AptSourcesThroughServerTest {
  @TempDir Path tmp;

  @Test
  void thePrintedSourcesWorkWithRealAptGetThroughTheServer() throws Exception {
    assumeTrue(AptRepo.unavailableReason().isEmpty(), () -> AptRepo.unavailableReason().get());
    assumeTrue(AptGet.unavailableReason().isEmpty(), () -> AptGet.unavailableReason().get());
    AptRepo repo =
        AptRepo.create(tmp.resolve("repo"))
            .addPackage("whtest-lib", "2.0")
            .addPackage("whtest-app", "1.0+b1", "whtest-lib")
            .publish();
    Path key = AptRepo.exportPublicKey(tmp.resolve("key.gpg"));
    try (AptRepoServer upstream = AptRepoServer.start(repo);
        TestServer server =
            TestServer.start(
                tmp.resolve("data"),
                "apt:\n  mirrors:\n    - name: tiny\n      url: " + upstream.baseUrl() + "\n")) {
      Path config =
          Files.writeString(
              tmp.resolve("wheelhouse.yaml"),
              TestServer.configYaml(
                  tmp.resolve("data"),
                  "apt:\n  mirrors:\n    - name: tiny\n      url: " + upstream.baseUrl() + "\n"));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit =
          Main.run(
              new String[] {
                "apt-sources",
                "--config",
                config.toString(),
                "--url",
                server.url(),
                "--suite",
                repo.suite(),
                "--signed-by",
                key.toString(),
                "--format",
                "list"
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Map.of());
      String sources = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(sources).contains(server.url() + "/apt/tiny");

      AptGet apt = AptGet.in(tmp.resolve("apt")).source(sources);
      AptGet.Result update = apt.update();
      assertThat(update.clean()).as(update.output()).isTrue();
      AptGet.Result install = apt.installDownloadOnly("whtest-app");
      assertThat(install.clean()).as(install.output()).isTrue();

      assertThat(apt.downloadedDebs())
          .extracting(
              p -> p.getFileName().toString().substring(0, p.getFileName().toString().indexOf('_')))
          .containsExactlyInAnyOrder("whtest-app", "whtest-lib");
      assertThat(upstream.requestsUnder("pool/")).isEqualTo(2);
    }
  }
}
