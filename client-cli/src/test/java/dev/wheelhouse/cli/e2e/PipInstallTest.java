package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.cli.Main;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole foundation with the real client: wheels built here, uploaded with the CLI and with a
 * raw multipart POST, then installed by the real pip in a fresh virtual environment, isolated from
 * the machine's pip configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipInstallTest {
  @TempDir static Path data;
  @TempDir static Path work;
  TestServer server;
  IsolatedPython python;
  Path venvPython;

  @BeforeAll
  void setUp() throws Exception {
    python = IsolatedPython.find(work);
    server = TestServer.start(data);
    venvPython = python.venv("venv");

    Path dist = Files.createDirectories(work.resolve("dist"));
    // Uploaded with the CLI: a pure-Python wheel in two versions, the newer one to be yanked.
    Path pure =
        TestWheels.wheel(
            dist, "Pure_Pkg", "1.0", "py3-none-any", Map.of("Requires-Python", ">=3.8"));
    Path pureNext = TestWheels.wheel(dist, "Pure_Pkg", "2.0", "py3-none-any");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {
              "upload",
              pure.toString(),
              pureNext.toString(),
              "--url",
              server.url(),
              "--token",
              TestServer.UPLOAD_TOKEN
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();

    // Uploaded with a raw multipart POST: platform wheels for two architectures and a local
    // version.
    for (String platform : List.of("manylinux_2_17_x86_64", "manylinux_2_17_aarch64")) {
      Path wheel = TestWheels.wheel(dist, "plat-pkg", "1.0", "py3-none-" + platform);
      assertThat(server.upload(wheel, "plat-pkg", "1.0").statusCode()).isEqualTo(200);
    }
    Path local = TestWheels.wheel(dist, "torchy", "2.1.0+cu121", "py3-none-any");
    assertThat(
            MultipartUpload.of(local, "torchy", "2.1.0+cu121")
                .token(TestServer.UPLOAD_TOKEN)
                .post(server.url() + "/legacy/")
                .statusCode())
        .isEqualTo(200);

    assertThat(
            server
                .send(
                    "PUT",
                    "/admin/indexes/local/projects/pure-pkg/files/pure_pkg-2.0-py3-none-any.whl/yank",
                    "Authorization",
                    "Bearer " + TestServer.ADMIN_TOKEN)
                .statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pipInstallsAndImportsFromTheIndex() throws Exception {
    python.pipInstall(
        venvPython,
        server.url() + "/simple/",
        Duration.ofMinutes(5),
        "pure-pkg",
        "plat-pkg",
        "torchy==2.1.0+cu121");
    String imported =
        python.run(
            Duration.ofMinutes(1),
            "import",
            List.of(
                venvPython.toString(),
                "-c",
                "import pure_pkg, plat_pkg, torchy; print(pure_pkg.VALUE); print(plat_pkg.VALUE);"
                    + " print(torchy.VALUE)"));
    // The yanked 2.0 is skipped for an unpinned requirement (PEP 592).
    assertThat(imported.lines().toList())
        .containsExactly("Pure_Pkg 1.0", "plat-pkg 1.0", "torchy 2.1.0+cu121");
  }

  @Test
  void pipDownloadPicksThePlatformWheel() throws Exception {
    Path into = Files.createDirectories(work.resolve("downloads"));
    python.pip(
        venvPython,
        "download",
        server.url() + "/simple/",
        Duration.ofMinutes(5),
        List.of(
            "--only-binary=:all:",
            "--platform",
            "manylinux_2_17_aarch64",
            "--python-version",
            "3.12",
            "--implementation",
            "cp",
            "--no-deps",
            "-d",
            into.toString(),
            "plat-pkg==1.0"));
    try (Stream<Path> files = Files.list(into)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly("plat_pkg-1.0-py3-none-manylinux_2_17_aarch64.whl");
    }
  }
}
