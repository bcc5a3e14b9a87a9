package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands against a real server: what they print is what the server did. */
class AdminCommandsThroughServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void pruneDryRunThenApplyThenStatsAndVerify() throws Exception {
    UpstreamTree tree = UpstreamTree.in(tmp.resolve("upstream"));
    Path wheel = TestWheels.wheel(tmp.resolve("w"), "cached", "1.0", "py3-none-any");
    tree.add("cached", wheel);
    try (UpstreamIndex upstream = UpstreamIndex.start(tree);
        TestServer server =
            TestServer.startWithIndexes(
                tmp.resolve("data"),
                "indexes:\n"
                    + "  - name: local\n    type: hosted\n"
                    + "  - name: pypi\n    type: proxy\n    url: "
                    + upstream.simpleUrl()
                    + "\n"
                    + "default-index: pypi\nupload:\n  index: local\n")) {
      String name = wheel.getFileName().toString();
      assertThat(server.get("/files/pypi/cached/" + name).statusCode()).isEqualTo(200);
      Map<String, String> env =
          Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", TestServer.ADMIN_TOKEN);

      CliRun dryRun = CliRun.run(env, "prune", "--max-size", "1");
      assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
      assertThat(dryRun.out()).contains(name).contains("dry run: nothing deleted");

      CliRun stats = CliRun.run(env, "stats", "--json");
      assertThat(stats.exitCode()).as(stats.err()).isZero();
      JsonNode before = JSON.readTree(stats.out());
      assertThat(before.get("entries").asLong()).isEqualTo(1);

      CliRun applied = CliRun.run(env, "prune", "--max-size", "1", "--apply", "--json");
      assertThat(applied.exitCode()).as(applied.err()).isZero();
      JsonNode report = JSON.readTree(applied.out());
      assertThat(report.get("applied").asBoolean()).isTrue();
      assertThat(report.get("entriesSelected").asLong()).isEqualTo(1);

      JsonNode after = JSON.readTree(CliRun.run(env, "stats", "--json").out());
      assertThat(after.get("entries").asLong()).isZero();
      assertThat(after.get("lastPrune").get("entriesSelected").asLong()).isEqualTo(1);

      CliRun verify = CliRun.run(env, "verify");
      assertThat(verify.exitCode()).as(verify.err()).isZero();
      CliRun gc = CliRun.run(env, "gc");
      assertThat(gc.exitCode()).as(gc.err()).isZero();

      CliRun uploader =
          CliRun.run(
              Map.of("WHEELHOUSE_URL", server.url(), "WHEELHOUSE_TOKEN", TestServer.UPLOAD_TOKEN),
              "prune");
      assertThat(uploader.exitCode()).isEqualTo(1);
      assertThat(uploader.err()).contains("403");
    }
  }
}
