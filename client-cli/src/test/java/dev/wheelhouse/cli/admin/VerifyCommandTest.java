package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code verify} sends, how it renders corrupt blobs, and its exit code for scripts. */
class VerifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CLEAN_REPORT =
      """
      {"checked":1234,"bytesChecked":12300000000,"corrupt":0,"corruptBlobs":[],\
      "entriesDropped":0,"tookMillis":4500}""";

  private static final String CORRUPT_REPORT =
      """
      {"checked":120,"bytesChecked":5000000,"corrupt":1,"corruptBlobs":[\
      {"sha256":"3f5a000000000000000000000000000000000000000000000000000000000000",\
      "actual":"9b1c000000000000000000000000000000000000000000000000000000000000",\
      "entries":["pypi/numpy/numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",\
      "cuda/numpy/numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl"],\
      "quarantinedTo":"/data/quarantine/3f5a0000"}],\
      "entriesDropped":2,"tookMillis":800}""";

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
  void checksEverythingByDefault() throws IOException {
    server.stream("/admin/verify", PruneCommandTest.result(CLEAN_REPORT));

    CliRun run = AdminRuns.run(server, "verify");

    assertThat(run.exitCode()).as(run.err()).isZero();
    AdminServer.Request request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/admin/verify");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + AdminRuns.TOKEN);
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(JSON.readTree("{\"sample\":1.0,\"uncheckedFor\":null}"));
    assertThat(run.out()).isEqualTo("checked 1234 blobs (12.3 GB) in 4.5 s: 0 corrupt\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void sampleAndUncheckedForGoIntoTheRequestBody() throws IOException {
    server.stream("/admin/verify", PruneCommandTest.result(CLEAN_REPORT));

    CliRun run = AdminRuns.run(server, "verify", "--sample", "0.1", "--unchecked-for", "7d");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(server.onlyRequest().body()))
        .isEqualTo(JSON.readTree("{\"sample\":0.1,\"uncheckedFor\":\"7d\"}"));
  }

  @Test
  void corruptBlobsAreListedAndExitOne() {
    server.stream(
        "/admin/verify",
        "{\"type\":\"progress\",\"phase\":\"check\",\"done\":60,\"total\":120}",
        PruneCommandTest.result(CORRUPT_REPORT));

    CliRun run = AdminRuns.run(server, "verify");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            """
            checked 120 blobs (5.0 MB) in 800 ms: 1 corrupt

            corrupt blob 3f5a000000000000000000000000000000000000000000000000000000000000
              content hashes to 9b1c000000000000000000000000000000000000000000000000000000000000
              entry pypi/numpy/numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl
              entry cuda/numpy/numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl
              quarantined to /data/quarantine/3f5a0000

            dropped 2 entries that used corrupt blobs
            """);
    assertThat(run.err()).isEqualTo("verify found 1 corrupt blob\n");
  }

  @Test
  void jsonPrintsTheReportAndStillExitsOneOnCorruption() throws IOException {
    server.stream("/admin/verify", PruneCommandTest.result(CORRUPT_REPORT));

    CliRun run = AdminRuns.run(server, "verify", "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(CORRUPT_REPORT));
    assertThat(run.err()).isEqualTo("verify found 1 corrupt blob\n");
  }

  @Test
  void jsonOfACleanCheckExitsZero() throws IOException {
    server.stream("/admin/verify", PruneCommandTest.result(CLEAN_REPORT));

    CliRun run = AdminRuns.run(server, "verify", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(CLEAN_REPORT));
  }

  @Test
  void progressIsDrawnOnATerminal() {
    server.stream(
        "/admin/verify",
        "{\"type\":\"progress\",\"phase\":\"check\",\"done\":600,\"total\":1234}",
        PruneCommandTest.result(CLEAN_REPORT));

    CliRun run = AdminRuns.onTerminal(server, VerifyCommand::new);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).startsWith("\rverify: check 600 / 1234 (48%)").endsWith("\r");
    assertThat(run.out()).isEqualTo("checked 1234 blobs (12.3 GB) in 4.5 s: 0 corrupt\n");
  }

  @Test
  void forbiddenFailsWithTheServersReason() {
    server.answer("/admin/verify", 403, AdminServer.TEXT, "admin role required\n");

    CliRun run = AdminRuns.run(server, "verify");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("verify failed: 403 admin role required\n");
  }

  @Test
  void errorLineFailsWithItsMessage() {
    server.stream("/admin/verify", "{\"type\":\"error\",\"message\":\"blob store unreadable\"}");

    CliRun run = AdminRuns.run(server, "verify");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("verify failed: blob store unreadable\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--sample | 2 | --sample: expected a fraction above 0 and at most 1 (0.1 checks a tenth),"
            + " got '2'",
        "--sample | 0 | --sample: expected a fraction above 0 and at most 1 (0.1 checks a tenth),"
            + " got '0'",
        "--sample | ten | --sample: expected a fraction above 0 and at most 1 (0.1 checks a"
            + " tenth), got 'ten'",
        "--unchecked-for | 7 days | --unchecked-for: expected a duration like 30s, 10m, 1h, 90d,"
            + " 500ms or 1h30m, got '7 days'",
      })
  void badValuesAreUsageErrorsAndNothingIsSent(String option, String value, String expected) {
    CliRun run = AdminRuns.run(server, "verify", option, value);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(expected + "\n");
    assertThat(server.requests()).isEmpty();
  }
}
