package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow the server exists for: the README's example application Dockerfile, built with
 * podman for linux/arm64 under QEMU, whose {@code apt-get install} and {@code pip install} are
 * served by a running wheelhouse; the image then holds the arm64 wheel and the arm64 package.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerWorkflowTest {
  private static final Path EXAMPLE =
      Path.of("").toAbsolutePath().getParent().resolve("docs/examples/Dockerfile");
  private static final String BASE = "localhost/wheelhouse-test-app-base:arm64";
  private static final String APP = "localhost/wheelhouse-test-app:arm64";
  private static final Pattern POOL_DOWNLOADS =
      Pattern.compile(
          "(?m)^wheelhouse_apt_pool_downloads_total\\{[^}]*mirror=\"debian\"[^}]*} (\\S+)");

  @TempDir static Path tmp;
  TestServer server;
  URI mirror;

  @BeforeAll
  void setUp() throws Exception {
    mirror = Podman.assumeImagesCanBeMade(TestImages.SUITE);
    Podman.assumeArm64Emulation();
    server =
        TestServer.start(
            tmp.resolve("data"),
            "apt:\n  mirrors:\n    - name: debian\n      url: " + mirror + "\n");
    TestImages.arm64Builder(new WheelhouseCli(server, tmp, tmp.resolve("work")));
    // One project, a wheel per architecture, told apart by what they contain.
    Path dist = Files.createDirectories(tmp.resolve("dist"));
    for (String arch : List.of("aarch64", "x86_64")) {
      Path wheel =
          TestWheels.wheel(
              dist,
              "whprobe",
              "1.0",
              "py3-none-linux_" + arch,
              Map.of(),
              Map.of("whprobe/__init__.py", "ARCH = \"" + arch + "\"\n"));
      assertThat(server.upload(wheel, "whprobe", "1.0").statusCode()).isEqualTo(200);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    Podman.exec(Duration.ofMinutes(2), List.of("podman", "rmi", "--force", APP, BASE));
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anArm64ImageGetsItsDebsAndTheArm64WheelThroughTheWheelhouse() throws Exception {
    // The base's apt sources name the Debian mirror itself, as an official image's do; the
    // Dockerfile sends apt through the wheelhouse as its proxy. COPY only: nothing runs emulated.
    Path baseContext = Files.createDirectories(tmp.resolve("base"));
    Files.writeString(
        baseContext.resolve("sources.list"), "deb " + mirror + " " + TestImages.SUITE + " main\n");
    Files.writeString(
        baseContext.resolve("Containerfile"),
        "FROM " + TestImages.ARM64_BUILDER + "\nCOPY sources.list /etc/apt/sources.list\n");
    Podman.run(
        List.of(
            "podman", "build", "--platform", "linux/arm64", "--tag", BASE, baseContext.toString()));
    double poolDownloadsBefore = poolDownloads();

    Path context = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(context.resolve("requirements.txt"), "whprobe==1.0\n");
    String wheelhouse = URI.create(server.url()).getAuthority();
    Podman.run(
        Duration.ofMinutes(30),
        List.of(
            "podman",
            "build",
            "--platform",
            "linux/arm64",
            "--network",
            "host",
            "--build-arg",
            "BASE_IMAGE=" + BASE,
            "--build-arg",
            "WHEELHOUSE=" + wheelhouse,
            "--tag",
            APP,
            "--file",
            EXAMPLE.toString(),
            context.toString()));

    String report =
        Podman.run(
            List.of(
                "podman",
                "run",
                "--rm",
                "--platform",
                "linux/arm64",
                "--network",
                "none",
                APP,
                "sh",
                "-c",
                "uname -m; dpkg-query -W -f '${Package} ${Architecture}\\n' libsndfile1;"
                    + " python -c 'import whprobe; print(whprobe.ARCH)';"
                    + " grep '^Tag:' /opt/venv/lib/python3*/site-packages/whprobe-1.0.dist-info/WHEEL;"
                    + " ls /etc/apt/apt.conf.d; env"));
    assertThat(report.lines())
        .contains("aarch64", "libsndfile1 arm64", "Tag: py3-none-linux_aarch64")
        .doesNotContain("x86_64", "80wheelhouse")
        .noneMatch(line -> line.startsWith("PIP_"));
    assertThat(poolDownloads()).isGreaterThan(poolDownloadsBefore);
  }

  /** The .debs the server has fetched from the Debian mirror so far. */
  private double poolDownloads() throws Exception {
    String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
    double total = 0;
    Matcher matcher = POOL_DOWNLOADS.matcher(metrics);
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }
}
