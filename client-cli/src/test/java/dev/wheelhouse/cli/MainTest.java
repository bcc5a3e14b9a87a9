package dev.wheelhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void helpListsTheCommands() {
    CliRun run = CliRun.run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: wheelhouse", "serve", "upload", "token");
  }

  @Test
  void versionNamesTheProjectVersion() {
    CliRun run = CliRun.run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("wheelhouse ").doesNotContain("unknown");
  }

  @Test
  void helpCommandShowsACommandsOptions() {
    CliRun run = CliRun.run("help", "upload");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--index", "--url", "--token", "--json", "--skip-existing");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing command", "Usage: wheelhouse");
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRun run = CliRun.run("frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("frobnicate");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.run("token", "--frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--frobnicate").doesNotContain("Exception");
  }

  @Test
  void uploadWithoutFilesIsAUsageError() {
    CliRun run = CliRun.run("upload");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("FILE");
  }
}
