package dev.wheelhouse.cli.admin;

import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.cli.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** Ways to run an admin command in tests. */
final class AdminRuns {
  static final String TOKEN = "wh_admin-token";

  private AdminRuns() {}

  /** Through {@code Main.run} (not a terminal), with the server's URL and a token in the env. */
  static CliRun run(AdminServer server, String... args) {
    return CliRun.run(Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", TOKEN), args);
  }

  /** Through {@code Main.run} with only the URL in the env: no token. */
  static CliRun runWithoutToken(AdminServer server, String... args) {
    return CliRun.run(Map.of("WHEELHOUSE_URL", server.url()), args);
  }

  /** One command on its own, as a person at a terminal would run it (progress drawn). */
  static CliRun onTerminal(
      AdminServer server, Function<Invocation, Object> command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Invocation invocation =
          new Invocation(
              outStream,
              errStream,
              Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", TOKEN),
              true);
      exitCode = new CommandLine(command.apply(invocation)).execute(args);
    }
    return new CliRun(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
