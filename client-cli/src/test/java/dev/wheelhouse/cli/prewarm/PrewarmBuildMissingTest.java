package dev.wheelhouse.cli.prewarm;

import static dev.wheelhouse.cli.prewarm.ProxiedIndex.AMD64;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.cli.prewarm.Coverage.Cell;
import dev.wheelhouse.cli.upload.HostedUpload;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --build-missing}: sdist-only cells are handed to {@link MissingBuilds} one at a time; a
 * build that uploads a fitting wheel turns the cell {@code built}. The builder here makes the wheel
 * directly and uploads it with the CLI's upload path, so no container is involved.
 */
class PrewarmBuildMissingTest {
  private static final List<TargetEnvironment> TARGETS =
      List.of(
          TargetEnvironment.of("linux/amd64", "3.12", Libc.defaultGlibc()),
          TargetEnvironment.of("linux/arm64", "3.12", Libc.defaultGlibc()));

  @TempDir Path dir;
  private ProxiedIndex index;
  private Path requirements;

  @BeforeEach
  void start() throws Exception {
    index = ProxiedIndex.start(dir.resolve("world"));
    requirements = dir.resolve("requirements.txt");
    Files.writeString(requirements, "sdistonly==1.0\npurepy==2.0\n");
  }

  @AfterEach
  void stop() {
    index.close();
  }

  /** Builds a wheel for the target's architecture and uploads it to the hosted index. */
  private final class UploadingBuilds implements MissingBuilds {
    final List<String> calls = new ArrayList<>();

    @Override
    public BuildAttempt build(String project, String version, TargetEnvironment target)
        throws InterruptedException {
      calls.add(project + "==" + version + " " + target.label());
      try {
        Path wheel =
            TestWheels.wheel(
                Files.createDirectories(dir.resolve("built")),
                project,
                version,
                "cp312-cp312-manylinux_2_17_" + target.arch().machine());
        HostedUpload.Outcome outcome =
            HostedUpload.send(
                URI.create(index.server.url()),
                "local",
                Optional.of(TestServer.UPLOAD_TOKEN),
                wheel,
                "{\"builder\": \"test\"}",
                Optional.empty());
        String name = wheel.getFileName().toString();
        return outcome.stored()
            ? new BuildAttempt(true, Optional.of(name), name + " in 0.1 s")
            : new BuildAttempt(false, Optional.empty(), "upload: " + outcome.reason());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private Coverage prewarm(Optional<MissingBuilds> builds) throws InterruptedException {
    IndexServer server =
        new IndexServer(URI.create(index.server.url()), Optional.empty(), Optional.empty());
    PrewarmPlan plan = PrewarmPlan.read(List.of(requirements), Map.of());
    return new Prewarm(server, 4, false, builds, PrewarmProgress.off()).run(plan.items(), TARGETS);
  }

  private static Cell cell(Coverage coverage, String name, int target) {
    return coverage.rows().stream()
        .filter(row -> row.name().equals(name))
        .findFirst()
        .orElseThrow()
        .cells()
        .get(target);
  }

  @Test
  void sdistOnlyCellsAreBuiltAndTheRunSucceeds() throws Exception {
    UploadingBuilds builds = new UploadingBuilds();

    Coverage coverage = prewarm(Optional.of(builds));

    assertThat(builds.calls).containsExactly("sdistonly==1.0 " + AMD64, "sdistonly==1.0 " + ARM64);
    Cell x86 = cell(coverage, "sdistonly", 0);
    assertThat(x86.status()).isEqualTo(CellStatus.BUILT);
    assertThat(x86.file()).contains("sdistonly-1.0-cp312-cp312-manylinux_2_17_x86_64.whl");
    assertThat(x86.sha256())
        .contains(
            ProxiedIndex.sha256(
                dir.resolve("built")
                    .resolve("sdistonly-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")));
    assertThat(cell(coverage, "sdistonly", 1).status()).isEqualTo(CellStatus.BUILT);
    assertThat(cell(coverage, "sdistonly", 1).file())
        .contains("sdistonly-1.0-cp312-cp312-manylinux_2_17_aarch64.whl");
    assertThat(cell(coverage, "purepy", 0).status()).isEqualTo(CellStatus.FETCHED);
    assertThat(coverage.gaps()).isZero();
    assertThat(coverage.totals().get(CellStatus.BUILT)).isEqualTo(2);
    assertThat(PrewarmCommand.failureLine(coverage, false, true)).isEmpty();
  }

  @Test
  void withoutABuilderSdistOnlyCellsStayAndFailTheRun() throws Exception {
    Coverage coverage = prewarm(Optional.empty());

    assertThat(cell(coverage, "sdistonly", 0).status()).isEqualTo(CellStatus.SDIST_ONLY);
    assertThat(cell(coverage, "sdistonly", 0).version()).contains("1.0");
    assertThat(PrewarmCommand.failureLine(coverage, false, false))
        .contains(
            "wheelhouse prewarm: 2 of 4 files missing"
                + " (use --allow-missing to accept, --build-missing to build sdist-only ones)");
    assertThat(PrewarmCommand.failureLine(coverage, true, false)).isEmpty();
  }

  @Test
  void aBuiltWheelIsNotAmongTheRequirementsHashesAndTheCellSaysSo() throws Exception {
    Files.writeString(
        requirements,
        "sdistonly==1.0 --hash=sha256:" + index.sha256(ProxiedIndex.SDISTONLY) + "\n");

    Coverage coverage = prewarm(Optional.of(new UploadingBuilds()));

    Cell arm = cell(coverage, "sdistonly", 1);
    assertThat(arm.status()).isEqualTo(CellStatus.BUILT);
    assertThat(arm.file()).contains("sdistonly-1.0-cp312-cp312-manylinux_2_17_aarch64.whl");
    assertThat(arm.reason().orElseThrow())
        .contains("not among the requirement's hashes")
        .contains("hash-checking installs");
    assertThat(coverage.gaps()).isZero();
  }

  @Test
  void aFailedBuildIsMissingWithItsDetail() throws Exception {
    List<String> calls = new ArrayList<>();
    MissingBuilds failing =
        (project, version, target) -> {
          calls.add(project + "==" + version);
          return new MissingBuilds.BuildAttempt(
              false, Optional.empty(), "pip wheel exited with 1 (see build.log)");
        };

    Coverage coverage = prewarm(Optional.of(failing));

    assertThat(calls).containsExactly("sdistonly==1.0", "sdistonly==1.0");
    Cell x86 = cell(coverage, "sdistonly", 0);
    assertThat(x86.status()).isEqualTo(CellStatus.MISSING);
    assertThat(x86.reason()).contains("build failed: pip wheel exited with 1 (see build.log)");
    assertThat(PrewarmCommand.failureLine(coverage, false, true))
        .contains("wheelhouse prewarm: 2 of 4 files missing (use --allow-missing to accept)");
  }

  @Test
  void aBuildTheIndexDoesNotOfferStaysMissing() throws Exception {
    // Reports success but uploads a wheel for the other architecture.
    MissingBuilds wrongArch =
        (project, version, target) ->
            new UploadingBuilds()
                .build(
                    project,
                    version,
                    TargetEnvironment.of(
                        target.arch().machine().equals("x86_64") ? "linux/arm64" : "linux/amd64",
                        "3.12",
                        Libc.defaultGlibc()));

    Coverage coverage = prewarm(Optional.of(wrongArch));

    // The amd64 build comes first and uploads an aarch64 wheel: amd64 still has none.
    Cell x86 = cell(coverage, "sdistonly", 0);
    assertThat(x86.status()).isEqualTo(CellStatus.MISSING);
    assertThat(x86.reason().orElseThrow())
        .startsWith(
            "built sdistonly-1.0-cp312-cp312-manylinux_2_17_aarch64.whl,"
                + " but the server's default index does not offer it: ");
    // By the arm64 check that aarch64 wheel is there.
    assertThat(cell(coverage, "sdistonly", 1).status()).isEqualTo(CellStatus.BUILT);
    assertThat(cell(coverage, "sdistonly", 1).file())
        .contains("sdistonly-1.0-cp312-cp312-manylinux_2_17_aarch64.whl");
  }
}
