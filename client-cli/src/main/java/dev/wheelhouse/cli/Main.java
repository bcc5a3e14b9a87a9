package dev.wheelhouse.cli;

import dev.wheelhouse.cli.admin.GcCommand;
import dev.wheelhouse.cli.admin.PruneCommand;
import dev.wheelhouse.cli.admin.StatsCommand;
import dev.wheelhouse.cli.admin.VerifyCommand;
import dev.wheelhouse.cli.apt.AptSourcesCommand;
import dev.wheelhouse.cli.build.BuildCommand;
import dev.wheelhouse.cli.build.BuilderImageCommand;
import dev.wheelhouse.cli.serve.ServeCommand;
import dev.wheelhouse.cli.token.TokenCommand;
import dev.wheelhouse.cli.upload.UploadCommand;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code wheelhouse} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(
    name = "wheelhouse",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    // Subcommands get --help and --version too.
    scope = ScopeType.INHERIT,
    description = "Python wheel index and PyPI/apt cache server, and its client.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Environment: WHEELHOUSE_URL, WHEELHOUSE_TOKEN (client commands);",
      "WHEELHOUSE_CONFIG (serve, apt-sources), WHEELHOUSE_LISTEN, WHEELHOUSE_DATA (serve).",
      "Run 'wheelhouse help COMMAND' for a command's options."
    })
public final class Main implements Runnable {

  @Spec private CommandSpec spec;

  private Main() {}

  public static void main(String[] args) {
    int exitCode =
        run(
            new Invocation(System.out, System.err, System.getenv(), Terminal.isInteractive()),
            args);
    System.exit(exitCode);
  }

  /**
   * Runs the command line as {@code main} would, without exiting the JVM; returns the exit code.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(new Invocation(out, err, env, false), args);
  }

  static int run(Invocation invocation, String[] args) {
    CommandLine commandLine =
        new CommandLine(new Main())
            .addSubcommand(new ServeCommand(invocation))
            .addSubcommand(new UploadCommand(invocation))
            .addSubcommand(new TokenCommand(invocation))
            .addSubcommand(new AptSourcesCommand(invocation))
            .addSubcommand(new PruneCommand(invocation))
            .addSubcommand(new GcCommand(invocation))
            .addSubcommand(new VerifyCommand(invocation))
            .addSubcommand(new StatsCommand(invocation))
            .addSubcommand(new BuildCommand(invocation))
            .addSubcommand(new BuilderImageCommand(invocation))
            .addSubcommand(new dev.wheelhouse.cli.prewarm.PrewarmCommand(invocation))
            .addSubcommand(new CommandLine.HelpCommand());
    commandLine.setOut(writer(invocation.out()));
    commandLine.setErr(writer(invocation.err()));
    commandLine.setExecutionExceptionHandler(new FailureHandler(invocation.err()));
    int exitCode = commandLine.execute(args);
    invocation.out().flush();
    invocation.err().flush();
    return exitCode;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Expected failures become one line on stderr; anything else is a bug and keeps its trace. */
  private static final class FailureHandler implements IExecutionExceptionHandler {
    private final PrintStream err;

    FailureHandler(PrintStream err) {
      this.err = err;
    }

    @Override
    public int handleExecutionException(
        Exception exception, CommandLine commandLine, ParseResult parseResult) {
      if (exception instanceof CommandFailure failure) {
        err.println(failure.getMessage());
        return failure.exitCode();
      }
      err.println("wheelhouse: internal error: " + exception);
      exception.printStackTrace(err);
      return ExitCode.SOFTWARE;
    }
  }
}
