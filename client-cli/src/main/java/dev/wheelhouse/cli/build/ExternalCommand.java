package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a program (git, podman, debootstrap, ...) with stdout and stderr merged, handing each line
 * to a listener as it comes and keeping the last lines for error messages.
 */
final class ExternalCommand {
  static final int TAIL_LINES = 40;

  private final List<String> command;
  private Optional<Path> directory = Optional.empty();
  private Map<String, String> extraEnv = Map.of();

  private ExternalCommand(List<String> command) {
    this.command = List.copyOf(command);
  }

  static ExternalCommand of(List<String> command) {
    return new ExternalCommand(command);
  }

  static ExternalCommand of(String... command) {
    return new ExternalCommand(List.of(command));
  }

  ExternalCommand in(Path workingDirectory) {
    this.directory = Optional.of(workingDirectory);
    return this;
  }

  ExternalCommand withEnv(Map<String, String> env) {
    this.extraEnv = Map.copyOf(env);
    return this;
  }

  /**
   * What the program did.
   *
   * @param exitCode its exit code, or -1 when it was stopped at the timeout
   * @param tail its last output lines
   * @param output its whole output when it was captured, else empty
   */
  record Result(int exitCode, List<String> tail, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }

    boolean timedOut() {
      return exitCode == -1;
    }
  }

  /** Runs to completion and captures the output (for short commands). */
  Result capture(Duration timeout) throws InterruptedException {
    StringBuilder output = new StringBuilder();
    Result result = run(timeout, line -> output.append(line).append('\n'), () -> {});
    return new Result(result.exitCode(), result.tail(), output.toString());
  }

  /** Runs, or throws a one-line {@link CommandFailure} naming the program and its last lines. */
  String captureOrFail(Duration timeout, String what) throws InterruptedException {
    Result result = capture(timeout);
    if (!result.succeeded()) {
      throw CommandFailure.failed(what + " failed: " + lastLines(result, 5));
    }
    return result.output();
  }

  /**
   * Runs, streaming each output line to {@code lines}; at the timeout calls {@code onTimeout} (to
   * stop what the process started, e.g. a container) and then kills the process.
   */
  Result run(Duration timeout, Consumer<String> lines, Runnable onTimeout)
      throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    directory.ifPresent(d -> builder.directory(d.toFile()));
    builder.environment().putAll(extraEnv);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw CommandFailure.failed(
          "cannot run " + command.get(0) + ": " + e.getMessage() + " (is it installed?)", e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Nothing is written to the program; a close that fails changes nothing.
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                      tail.removeFirst();
                    }
                  }
                  lines.accept(line);
                }
              } catch (IOException e) {
                // The process ended or was killed; what was read is kept.
              }
            },
            "output of " + command.get(0));
    reader.setDaemon(true);
    reader.start();
    try {
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        onTimeout.run();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (tail) {
        return new Result(finished ? process.exitValue() : -1, new ArrayList<>(tail), "");
      }
    } catch (InterruptedException e) {
      onTimeout.run();
      process.destroyForcibly();
      throw e;
    }
  }

  /** The last {@code count} output lines joined for a one-line message. */
  static String lastLines(Result result, int count) {
    List<String> tail = result.tail();
    List<String> last = tail.subList(Math.max(0, tail.size() - count), tail.size());
    String text = String.join(" | ", last).strip();
    return text.isEmpty() ? "exit code " + result.exitCode() : text;
  }
}
