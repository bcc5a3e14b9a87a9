package dev.wheelhouse.cli.e2e;

import dev.wheelhouse.cli.Main;
import dev.wheelhouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wheelhouse command line run in the test's JVM against a test server, as its admin, with
 * {@code home} as HOME and {@code work} as the work dir of the commands that have one.
 */
record WheelhouseCli(TestServer server, Path home, Path work) {
  /** What a CLI run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", server.url(), "--token", TestServer.ADMIN_TOKEN));
    if (List.of("build", "prewarm", "builder-image").contains(args[0])) {
      all.addAll(List.of("--work-dir", work.toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("HOME", home.toString()));
    String errText = err.toString(StandardCharsets.UTF_8);
    System.err.print(errText);
    return new Run(code, out.toString(StandardCharsets.UTF_8), errText);
  }
}
