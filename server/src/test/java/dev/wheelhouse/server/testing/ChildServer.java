package dev.wheelhouse.server.testing;

import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.ConfigOverrides;
import dev.wheelhouse.server.WheelhouseServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a server in its own JVM so that a test can SIGKILL it: {@code ChildServer CONFIG PORTFILE}
 * starts from the config file and writes the bound port to PORTFILE once listening.
 */
public final class ChildServer {
  private ChildServer() {}

  public static void main(String[] args) throws Exception {
    WheelhouseServer server =
        WheelhouseServer.start(
            ConfigLoader.load(Optional.of(Path.of(args[0])), Map.of(), ConfigOverrides.none()));
    Path portFile = Path.of(args[1]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
    Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
