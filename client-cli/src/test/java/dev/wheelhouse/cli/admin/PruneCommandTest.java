package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code prune} sends for each flag and how it renders the server's NDJSON answer. */
class PruneCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String DRY_RUN_REPORT =
      """
      {"applied":false,"entriesScanned":1234,"entriesSelected":3,"bytesSelected":2250000000,\
      "blobsDeleted":0,"bytesFreed":0,"skippedInUse":0,\
      "projects":[{"index":"pypi","project":"torch","files":1,"bytes":2100000000},\
      {"index":"pypi","project":"numpy","files":2,"bytes":150000000}],\
      "files":[{"index":"pypi","project":"torch",\
      "name":"torch-2.5.0-cp312-cp312-manylinux_2_28_x86_64.whl","bytes":2100000000,\
      "lastUsed":"2026-09-01T08:30:00Z","reason":"max-age"},\
      {"index":"pypi","project":"numpy","name":"numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",\
      "bytes":100000000,"lastUsed":"2026-11-20T10:00:00Z","reason":"max-size"},\
      {"index":"pypi","project":"numpy","name":"numpy-1.26.4.tar.gz","bytes":50000000,\
      "lastUsed":null,"reason":"max-size"}],\
      "filesTruncated":false,"tookMillis":1234,"finishedAt":"2026-11-21T10:00:00Z"}""";

  private static final String APPLIED_REPORT =
      """
      {"applied":true,"entriesScanned":1234,"entriesSelected":2,"bytesSelected":150000000,\
      "blobsDeleted":1,"bytesFreed":100000000,"skippedInUse":1,\
      "projects":[{"index":"pypi","project":"numpy","files":2,"bytes":150000000}],\
      "files":[{"index":"pypi","project":"numpy",\
      "name":"numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",\
      "bytes":100000000,"lastUsed":"2026-11-20T10:00:00+01:00","reason":"max-size"},\
      {"index":"cuda","project":"numpy","name":"numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",\
      "bytes":50000000,"lastUsed":"2026-11-20T10:00:00Z","reason":"min-free"}],\
      "filesTruncated":false,"tookMillis":75000,"finishedAt":"2026-11-21T10:00:00Z"}""";

  private static final String PROGRESS_SCAN =
      "{\"type\":\"progress\",\"phase\":\"scan\",\"done\":0,\"total\":4}";
  private static final String PROGRESS_SELECT =
      "{\"type\":\"progress\",\"phase\":\"select\",\"done\":2,\"total\":-1}";
  private static final String PROGRESS_DELETE =
      "{\"type\":\"progress\",\"phase\":\"delete\",\"done\":3,\"total\":3}";

  private AdminServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new AdminServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static String result(String report) {
    return "{\"type\":\"result\",\"report\":" + report + "}";
  }

  @Test
  void dryRunIsTheDefaultAndLeavesEveryPolicyKeyToTheServer() throws IOException {
    server.stream("/admin/prune", PROGRESS_SCAN, result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).as(run.err()).isZero();
    AdminServer.Request request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/admin/prune");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + AdminRuns.TOKEN);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"apply":false,"maxSize":null,"maxAge":null,"minFree":null,\
                "indexes":null,"keep":null}"""));
  }

  @Test
  void dryRunPrintsProjectsFilesAndTotals() {
    server.stream("/admin/prune", PROGRESS_SCAN, PROGRESS_SELECT, result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            INDEX  PROJECT  FILES      SIZE
            pypi   torch        1    2.1 GB
            pypi   numpy        2  150.0 MB

            INDEX  FILE                                                   SIZE  LAST USED             REASON
            pypi   torch-2.5.0-cp312-cp312-manylinux_2_28_x86_64.whl    2.1 GB  2026-09-01 08:30 UTC  max-age
            pypi   numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl  100.0 MB  2026-11-20 10:00 UTC  max-size
            pypi   numpy-1.26.4.tar.gz                                 50.0 MB  -                     max-size

            would delete 3 files (2.3 GB) in 2 projects; scanned 1234 entries in 1.2 s
            dry run: nothing deleted; add --apply to delete
            """);
    // Not a terminal: no progress line, nothing on stderr at all.
    assertThat(run.err()).isEmpty();
  }

  @Test
  void everyFlagGoesIntoTheRequestBody() throws IOException {
    server.stream("/admin/prune", result(APPLIED_REPORT));

    CliRun run =
        AdminRuns.run(
            server,
            "prune",
            "--max-size",
            "200GB",
            "--max-age",
            "30d",
            "--min-free",
            "512MiB",
            "--index",
            "pypi",
            "--index",
            "debian",
            "--keep",
            "torch*",
            "--keep",
            "nvidia-?uda",
            "--apply");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(server.onlyRequest().body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"apply":true,"maxSize":"200GB","maxAge":"30d","minFree":"512MiB",\
                "indexes":["pypi","debian"],"keep":["torch*","nvidia-?uda"]}"""));
  }

  @Test
  void applyPrintsWhatWasDeletedAndFreed() {
    server.stream("/admin/prune", PROGRESS_DELETE, result(APPLIED_REPORT));

    CliRun run = AdminRuns.run(server, "prune", "--apply");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            INDEX  PROJECT  FILES      SIZE
            pypi   numpy        2  150.0 MB

            INDEX  FILE                                                   SIZE  LAST USED             REASON
            pypi   numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl  100.0 MB  2026-11-20 09:00 UTC  max-size
            cuda   numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl   50.0 MB  2026-11-20 10:00 UTC  min-free

            deleted 2 files (150.0 MB) in 1 project, removed 1 blob, freed 100.0 MB; scanned 1234 entries in 1m15s
            skipped 1 file in use
            """);
  }

  @Test
  void listsOnlyTheFirstFilesAndCountsTheRest() {
    StringBuilder files = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      files
          .append(i == 0 ? "" : ",")
          .append("{\"index\":\"pypi\",\"project\":\"p\",\"name\":\"p-")
          .append(i)
          .append(".tar.gz\",\"bytes\":1000,\"lastUsed\":null,\"reason\":\"max-age\"}");
    }
    server.stream(
        "/admin/prune",
        result(
            "{\"applied\":false,\"entriesScanned\":500,\"entriesSelected\":400,"
                + "\"bytesSelected\":400000,\"projects\":[{\"index\":\"pypi\",\"project\":\"p\","
                + "\"files\":400,\"bytes\":400000}],\"files\":["
                + files
                + "],\"filesTruncated\":true,\"tookMillis\":5}"));

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("p-19.tar.gz")
        .doesNotContain("p-20.tar.gz")
        .contains(
            """
            ... and 380 more files

            would delete 400 files (400.0 kB) in 1 project; scanned 500 entries in 5 ms
            dry run: nothing deleted; add --apply to delete
            """);
  }

  @Test
  void nothingSelectedSaysSo() {
    server.stream(
        "/admin/prune",
        result(
            "{\"applied\":false,\"entriesScanned\":1,\"entriesSelected\":0,\"bytesSelected\":0,"
                + "\"projects\":[],\"files\":[],\"filesTruncated\":false,\"tookMillis\":3}"));

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            nothing to prune; scanned 1 entry in 3 ms
            dry run: nothing deleted; add --apply to delete
            """);
  }

  @Test
  void jsonPrintsTheReportOnly() throws IOException {
    server.stream("/admin/prune", PROGRESS_SCAN, PROGRESS_SELECT, result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "prune", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(DRY_RUN_REPORT));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void progressIsDrawnOnATerminalAndErasedBeforeTheReport() {
    server.stream(
        "/admin/prune", PROGRESS_SCAN, PROGRESS_SELECT, PROGRESS_DELETE, result(APPLIED_REPORT));

    CliRun run = AdminRuns.onTerminal(server, PruneCommand::new, "--apply");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .startsWith("\rprune: scan 0 / 4 (0%)")
        .contains("\rprune: select 2", "\rprune: delete 3 / 3 (100%)")
        .endsWith("\r");
    assertThat(run.err().substring(run.err().lastIndexOf("(100%)") + 6)).isBlank();
    assertThat(run.out()).startsWith("INDEX  PROJECT").contains("freed 100.0 MB");
  }

  @Test
  void jsonOnATerminalDrawsNoProgress() throws IOException {
    server.stream("/admin/prune", PROGRESS_SCAN, result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.onTerminal(server, PruneCommand::new, "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(DRY_RUN_REPORT));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "401 | token required | prune failed: 401 token required",
        "403 | token 'ci' lacks the admin role | prune failed: 403 token 'ci' lacks the admin role",
        "409 | a gc is running; try again when it is done"
            + " | prune failed: 409 a gc is running; try again when it is done",
        "400 | maxSize: expected a size above zero | prune failed: 400 maxSize: expected a size above"
            + " zero",
      })
  void refusalsAreOneLineWithTheServersReason(int status, String reason, String expected) {
    server.answer("/admin/prune", status, AdminServer.TEXT, reason + "\n");

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(expected + "\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unauthorizedWithoutATokenHintsAtOne() {
    server.answer("/admin/prune", 401, AdminServer.TEXT, "token required\n");

    CliRun run = AdminRuns.runWithoutToken(server, "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("prune failed: 401 token required (pass --token or set WHEELHOUSE_TOKEN)\n");
    assertThat(server.onlyRequest().header("Authorization")).isNull();
  }

  @Test
  void tokenOptionWinsOverTheEnvironment() {
    server.stream("/admin/prune", result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "prune", "--token", "wh_other");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Bearer wh_other");
  }

  @Test
  void serverErrorWithoutABodyNamesTheStatus() {
    server.answer("/admin/prune", 500, AdminServer.TEXT, "");

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("prune failed: 500 Internal Server Error\n");
  }

  @Test
  void streamThatEndsWithoutAResultFails() {
    server.stream("/admin/prune", PROGRESS_SCAN, PROGRESS_SELECT);

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("prune failed: the server's answer ended without a result (connection lost?)\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void errorLineFailsWithItsMessage() {
    server.stream(
        "/admin/prune",
        PROGRESS_SCAN,
        "{\"type\":\"error\",\"message\":\"cannot delete blob ab12: read-only file system\"}");

    CliRun run = AdminRuns.run(server, "prune", "--apply", "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("prune failed: cannot delete blob ab12: read-only file system\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void answerThatIsNotNdjsonFails() {
    server.answer("/admin/prune", 200, "text/html", "<html><body>login</body></html>\n");

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "prune failed: unexpected answer from "
                + server.url()
                + ": '<html><body>login</body></html>'\n");
  }

  @Test
  void unknownLinesAreSkipped() {
    server.stream(
        "/admin/prune",
        "{\"type\":\"notice\",\"message\":\"new in a later server\"}",
        "",
        result(DRY_RUN_REPORT));

    CliRun run = AdminRuns.run(server, "prune");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("would delete 3 files");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--max-size | 12XB | --max-size: expected a size like 4096, 10kB, 512MiB or 1.5GB, got"
            + " '12XB'",
        "--max-size | 0 | --max-size: expected a size above zero, got '0'",
        "--min-free | lots | --min-free: expected a size like 4096, 10kB, 512MiB or 1.5GB, got"
            + " 'lots'",
        "--max-age | 30 | --max-age: expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m,"
            + " got '30'",
        "--max-age | 0d | --max-age: expected a duration above zero, got '0d'",
        "--index | PyPI | --index: expected an index or mirror name (lowercase letters, digits,"
            + " '.', '_', '-'), got 'PyPI'",
        "--keep | torch/* | --keep: expected a project name pattern (letters, digits, '.', '_', '-'"
            + " and wildcards * ?), got 'torch/*'",
      })
  void badValuesAreUsageErrorsAndNothingIsSent(String option, String value, String expected) {
    CliRun run = AdminRuns.run(server, "prune", option, value, "--apply");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(expected + "\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void acceptsTheSizeAndDurationFormsOfTheConfig() throws IOException {
    server.stream("/admin/prune", result(DRY_RUN_REPORT));

    CliRun run =
        AdminRuns.run(
            server, "prune", "--max-size", "1.5GB", "--max-age", "1d12h", "--min-free", "10g");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode body = JSON.readTree(server.onlyRequest().body());
    assertThat(body.get("maxSize").asText()).isEqualTo("1.5GB");
    assertThat(body.get("maxAge").asText()).isEqualTo("1d12h");
    assertThat(body.get("minFree").asText()).isEqualTo("10g");
  }

  @Test
  void unreachableServerIsOneLine() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    CliRun run =
        CliRun.run(
            Map.of("WHEELHOUSE_URL", "http://127.0.0.1:" + port, "WHEELHOUSE_TOKEN", "t"), "prune");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("cannot reach http://127.0.0.1:" + port + ": connection refused\n");
  }
}
