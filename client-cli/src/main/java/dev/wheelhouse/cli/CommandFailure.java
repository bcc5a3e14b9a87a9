package dev.wheelhouse.cli;

import picocli.CommandLine.ExitCode;

/**
 * An expected failure (bad input, unreachable server, refused upload): reported as one line on
 * stderr, without a stack trace, and turned into the process exit code.
 */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CommandFailure(String message, int exitCode, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  /** The command ran and failed: exit code 1. */
  public static CommandFailure failed(String message) {
    return new CommandFailure(message, ExitCode.SOFTWARE, null);
  }

  /** The command ran and failed because of {@code cause}: exit code 1. */
  public static CommandFailure failed(String message, Throwable cause) {
    return new CommandFailure(message, ExitCode.SOFTWARE, cause);
  }

  /** The command was given arguments it cannot use: exit code 2. */
  public static CommandFailure usage(String message) {
    return new CommandFailure(message, ExitCode.USAGE, null);
  }

  public int exitCode() {
    return exitCode;
  }
}
