package dev.wheelhouse.cli.serve;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.config.ConfigException;
import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.ConfigOverrides;
import dev.wheelhouse.config.HostPort;
import dev.wheelhouse.config.WheelhouseConfig;
import dev.wheelhouse.server.WheelhouseServer;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse serve}: runs the server in the foreground until the JVM is asked to stop
 * (SIGTERM, SIGINT); a shutdown hook then closes it cleanly, so the metadata store is never left
 * half-written by an ordinary stop.
 */
@Command(name = "serve", description = "Run the wheelhouse server in the foreground.")
public final class ServeCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config file (default: $WHEELHOUSE_CONFIG, else built-in defaults).")
  private Path config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to listen on, overrides the config (or $WHEELHOUSE_LISTEN).")
  private String listen;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory, overrides the config (or $WHEELHOUSE_DATA).")
  private String data;

  public ServeCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    WheelhouseConfig loaded;
    try {
      loaded =
          ConfigLoader.load(
              Optional.ofNullable(config),
              invocation.env(),
              new ConfigOverrides(Optional.ofNullable(listen), Optional.ofNullable(data)));
    } catch (ConfigException e) {
      PrintStream err = invocation.err();
      err.println("invalid configuration:");
      for (String error : e.errors()) {
        err.println("  " + error);
      }
      return ExitCode.USAGE;
    }

    WheelhouseServer server = start(loaded);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } finally {
                    stopped.countDown();
                  }
                },
                "wheelhouse-shutdown"));
    invocation
        .out()
        .println(
            "wheelhouse listening on "
                + "http://"
                + new HostPort(loaded.listen().host(), server.port())
                + " (data: "
                + loaded.data().toAbsolutePath().normalize()
                + ")");
    invocation.out().flush();
    stopped.await();
    return ExitCode.OK;
  }

  private static WheelhouseServer start(WheelhouseConfig config) {
    String address = config.listen().toString();
    try {
      return WheelhouseServer.start(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CommandFailure.failed("interrupted while starting the server", e);
    } catch (Exception e) {
      if (causes(e, BindException.class)) {
        throw CommandFailure.failed(
            "cannot listen on " + address + ": address already in use or not available", e);
      }
      throw CommandFailure.failed("cannot start the server: " + describe(e), e);
    }
  }

  private static boolean causes(Throwable thrown, Class<? extends Throwable> kind) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable thrown) {
    Throwable root = thrown;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
