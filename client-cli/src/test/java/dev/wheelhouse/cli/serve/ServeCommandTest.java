package dev.wheelhouse.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("wheelhouse listening on (http://127\\.0\\.0\\.1:(\\d+)) \\(data: (.+)\\)");

  @TempDir Path dir;

  @Test
  void missingConfigFileIsAConfigurationError() {
    Path missing = dir.resolve("missing.yaml");

    CliRun run = CliRun.run(Map.of(), "serve", "--config", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("invalid configuration:\n  ").contains(missing.toString());
  }

  @Test
  void everyConfigurationErrorIsListed() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "listen: nowhere\nindexes:\n  - name: x\n    type: teapot\n",
            StandardCharsets.UTF_8);

    CliRun run = CliRun.run(Map.of("WHEELHOUSE_CONFIG", config.toString()), "serve");

    assertThat(run.exitCode()).isEqualTo(2);
    List<String> lines = run.err().lines().toList();
    assertThat(lines.get(0)).isEqualTo("invalid configuration:");
    assertThat(lines.subList(1, lines.size())).allMatch(line -> line.startsWith("  "));
    assertThat(run.err()).contains("listen", "teapot").doesNotContain("Exception");
  }

  @Test
  void badListenOptionIsAConfigurationError() {
    CliRun run = CliRun.run(Map.of(), "serve", "--listen", "no-port", "--data", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("invalid configuration:").contains("no-port");
  }

  @Test
  @Timeout(180)
  void servesUntilSigtermThenStopsCleanlyAndRestartsOnTheSameData() throws Exception {
    Path data = dir.resolve("data");
    Path config =
        Files.writeString(dir.resolve("wheelhouse.yaml"), TestServer.configYaml(data, ""));
    Path wheel = TestWheels.wheel(dir.resolve("dist"), "tinypkg", "0.1", "py3-none-any");

    try (Served first = Served.start(config, dir.resolve("first.log"))) {
      assertThat(first.data()).isEqualTo(data.toAbsolutePath().normalize().toString());
      CliRun upload =
          CliRun.run(
              Map.of("WHEELHOUSE_TOKEN", TestServer.UPLOAD_TOKEN),
              "upload",
              "--url",
              first.url(),
              wheel.toString());
      assertThat(upload.exitCode()).as(upload.err()).isZero();

      int exitCode = first.terminate();

      assertThat(exitCode).isEqualTo(128 + 15);
      String log = Files.readString(dir.resolve("first.log"));
      assertThat(log).contains("stopped").doesNotContain("Exception");
    }

    // The metadata store was closed cleanly: it opens again and still has the upload.
    try (Served second = Served.start(config, dir.resolve("second.log"))) {
      CliRun again =
          CliRun.run(
              Map.of("WHEELHOUSE_TOKEN", TestServer.UPLOAD_TOKEN),
              "upload",
              "--url",
              second.url(),
              wheel.toString());
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(again.out()).startsWith("exists   tinypkg-0.1-py3-none-any.whl");
      assertThat(second.terminate()).isEqualTo(128 + 15);
    }
  }

  /** {@code wheelhouse serve} in its own JVM, as the launcher runs it. */
  private record Served(Process process, String url, String data) implements AutoCloseable {

    static Served start(Path config, Path log) throws Exception {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.wheelhouse.cli.Main",
                  "serve",
                  "--config",
                  config.toString())
              .redirectError(log.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("WHEELHOUSE_"));
      Process process = builder.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      try {
        line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
        throw new AssertionError("serve did not start; log:\n" + Files.readString(log), e);
      }
      Matcher matcher = LISTENING.matcher(line == null ? "" : line);
      if (!matcher.matches()) {
        process.destroyForcibly();
        throw new AssertionError(
            "unexpected first line '" + line + "'; log:\n" + Files.readString(log));
      }
      return new Served(process, matcher.group(1), matcher.group(3));
    }

    /** Sends SIGTERM and returns the exit code. */
    int terminate() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      return process.exitValue();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    private static String readLine(BufferedReader reader) {
      try {
        return reader.readLine();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
