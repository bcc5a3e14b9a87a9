package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.HostDebianMirror;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Real podman for the container tests: whether it can run here, and commands that must succeed. */
final class Podman {
  private static final Path BINFMT_AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

  private Podman() {}

  /**
   * Skips the test unless podman works, debootstrap can make images (root) and the machine's Debian
   * mirror for {@code suite} answers; returns that mirror's URL.
   */
  static URI assumeImagesCanBeMade(String suite) throws IOException {
    assumeTrue(works("podman", "version"), "podman is not installed or does not work here");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "debootstrap needs root");
    assumeTrue(AptGet.unavailableReason().isEmpty(), () -> AptGet.unavailableReason().get());
    Optional<URI> mirror = HostDebianMirror.find(suite);
    assumeTrue(mirror.isPresent(), "no Debian mirror in " + HostDebianMirror.SOURCES_DIR);
    assumeTrue(
        HostDebianMirror.reachable(mirror.get().resolve("dists/" + suite + "/InRelease")),
        "the Debian mirror is not reachable from here");
    return mirror.get();
  }

  /** Skips the test unless QEMU user emulation for aarch64 is registered with binfmt_misc. */
  static void assumeArm64Emulation() throws IOException {
    assumeTrue(
        Files.isReadable(BINFMT_AARCH64) && Files.readString(BINFMT_AARCH64).startsWith("enabled"),
        "QEMU user emulation for aarch64 is not registered (qemu-user-static + binfmt_misc)");
  }

  /** Runs {@code command} (10 minutes at most); asserts it exits 0 and returns its output. */
  static String run(List<String> command) throws Exception {
    return run(Duration.ofMinutes(10), command);
  }

  /** Runs {@code command} within {@code timeout}; asserts it exits 0 and returns its output. */
  static String run(Duration timeout, List<String> command) throws Exception {
    Result result = exec(timeout, command);
    assertThat(result.exitCode())
        .as("%s:\n%s", String.join(" ", command), result.tail(80))
        .isZero();
    return result.output();
  }

  /**
   * What a finished command printed (stdout and stderr) and returned.
   *
   * @param exitCode its exit code, -1 when it was killed at the timeout
   * @param output everything it printed
   */
  record Result(int exitCode, String output) {
    String tail(int lines) {
      List<String> all = output.lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  /** Runs {@code command} within {@code timeout} (else kills it); its exit code and output. */
  static Result exec(Duration timeout, List<String> command) throws Exception {
    // Output to a file, not a pipe: a chatty process can never block on a full pipe.
    Path log = Files.createTempFile("wheelhouse-test", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      return new Result(finished ? process.exitValue() : -1, Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Whether {@code command} runs and exits 0 within a minute. */
  static boolean works(String... command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
