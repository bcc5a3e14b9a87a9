package dev.wheelhouse.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What one run of the command sees of the outside world: its output streams, its environment and
 * whether a person is watching. Passed in rather than read from {@link System} so that tests can
 * run commands in-process.
 *
 * @param out command output (results, JSON)
 * @param err diagnostics, errors and progress
 * @param env environment variables (WHEELHOUSE_URL, WHEELHOUSE_TOKEN, WHEELHOUSE_CONFIG, ...)
 * @param interactive true when stderr is a terminal, so that an updating progress line makes sense
 */
public record Invocation(
    PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {

  public Invocation {
    env = Map.copyOf(env);
  }
}
