package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code gc} sends and how it renders the server's NDJSON answer. */
class GcCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String DRY_RUN_REPORT =
      """
      {"applied":false,"blobsScanned":130,"orphanBlobs":3,"orphanBytes":1200000,\
      "removedBlobs":0,"removedTempFiles":0,"tookMillis":420}""";

  private static final String APPLIED_REPORT =
      """
      {"applied":true,"blobsScanned":130,"orphanBlobs":3,"orphanBytes":1200000,\
      "removedBlobs":3,"removedTempFiles":2,"tookMillis":1500}""";

  private AdminServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new AdminServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void dryRunSendsApplyFalseAndSaysNothingWasDeleted() throws IOException {
    server.stream(
        "/admin/gc",
        "{\"type\":\"progress\",\"phase\":\"scan\",\"done\":10,\"total\":130}",
        PruneCommandTest.result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "gc");

    assertThat(run.exitCode()).as(run.err()).isZero();
    AdminServer.Request request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/admin/gc");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + AdminRuns.TOKEN);
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"apply\":false}"));
    assertThat(run.out())
        .isEqualTo(
            """
            would remove 3 orphan blobs (1.2 MB); scanned 130 blobs in 420 ms
            dry run: nothing deleted; add --apply to delete
            """);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void applyPrintsWhatWasRemoved() throws IOException {
    server.stream("/admin/gc", PruneCommandTest.result(APPLIED_REPORT));

    CliRun run = AdminRuns.run(server, "gc", "--apply");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(server.onlyRequest().body()))
        .isEqualTo(JSON.readTree("{\"apply\":true}"));
    assertThat(run.out())
        .isEqualTo(
            "removed 3 orphan blobs (1.2 MB) and 2 temporary files; scanned 130 blobs in 1.5 s\n");
  }

  @Test
  void nothingFoundSaysSo() {
    server.stream(
        "/admin/gc",
        PruneCommandTest.result(
            "{\"applied\":false,\"blobsScanned\":1,\"orphanBlobs\":0,\"orphanBytes\":0,"
                + "\"tookMillis\":2}"));

    CliRun run = AdminRuns.run(server, "gc");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            nothing to collect; scanned 1 blob in 2 ms
            dry run: nothing deleted; add --apply to delete
            """);
  }

  @Test
  void jsonPrintsTheReportOnly() throws IOException {
    server.stream("/admin/gc", PruneCommandTest.result(APPLIED_REPORT));

    CliRun run = AdminRuns.run(server, "gc", "--apply", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(APPLIED_REPORT));
  }

  @Test
  void conflictFailsWithTheServersReason() {
    server.answer("/admin/gc", 409, AdminServer.TEXT, "a prune is running\n");

    CliRun run = AdminRuns.run(server, "gc", "--apply");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("gc failed: 409 a prune is running\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void streamThatEndsWithoutAResultFails() {
    server.stream(
        "/admin/gc", "{\"type\":\"progress\",\"phase\":\"scan\",\"done\":1,\"total\":-1}");

    CliRun run = AdminRuns.run(server, "gc");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("gc failed: the server's answer ended without a result (connection lost?)\n");
  }
}
