package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real python and pip for end-to-end tests, isolated from this machine's pip configuration
 * (PIP_* variables and pip.conf add indexes and find-links): fresh virtual environments, {@code
 * --isolated}, no PIP_* in the environment, {@code PIP_CONFIG_FILE=/dev/null}.
 */
final class IsolatedPython {
  private final String python;
  private final Path work;

  private IsolatedPython(String python, Path work) {
    this.python = python;
    this.work = work;
  }

  /** A python 3 with venv and ensurepip, or the test is skipped with the reason. */
  static IsolatedPython find(Path work) throws InterruptedException {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process probe =
            new ProcessBuilder(candidate, "-c", "import venv, ensurepip")
                .redirectErrorStream(true)
                .start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return new IsolatedPython(candidate, work);
        }
      } catch (IOException notThere) {
        // try the next one
      }
    }
    assumeTrue(false, "python3 with venv and ensurepip is not installed; .ci/run installs it");
    throw new IllegalStateException("unreachable");
  }

  /** A fresh virtual environment; returns its python. */
  Path venv(String name) throws Exception {
    Path venv = work.resolve(name);
    run(Duration.ofMinutes(2), name + "-venv", List.of(python, "-m", "venv", venv.toString()));
    return venv.resolve("bin").resolve("python");
  }

  /** {@code pip install} from one index only, without any cache. */
  String pipInstall(Path venvPython, String indexUrl, Duration timeout, String... requirements)
      throws Exception {
    return pip(venvPython, "install", indexUrl, timeout, List.of(requirements));
  }

  /** {@code pip <verb> ... --index-url URL <args>}, e.g. {@code download} with its options. */
  String pip(Path venvPython, String verb, String indexUrl, Duration timeout, List<String> args)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                venvPython.toString(),
                "-m",
                "pip",
                verb,
                "--isolated",
                "--no-cache-dir",
                "--disable-pip-version-check",
                "--index-url",
                indexUrl));
    command.addAll(args);
    return run(timeout, "pip-" + verb, command);
  }

  /**
   * Runs a command in the isolated environment, its output in a log file so that a hung process
   * cannot block the test past {@code timeout}; asserts it exits 0 and returns its output.
   */
  String run(Duration timeout, String logName, List<String> command) throws Exception {
    Path log = Files.createTempFile(work, logName, ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(work.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("PIP_") || k.equals("PYTHONPATH"));
    builder.environment().put("PIP_CONFIG_FILE", "/dev/null");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    String described = String.join(" ", command) + "\n" + tail(output);
    assertThat(finished).as("finished within %s: %s", timeout, described).isTrue();
    assertThat(process.exitValue()).as(described).isZero();
    return output;
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
