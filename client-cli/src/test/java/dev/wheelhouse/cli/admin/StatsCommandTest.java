package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code stats} asks for and how it renders the answer. */
class StatsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String STATS =
      """
      {"entries":2012,"bytes":15400000000,"blobs":{"count":1990,"bytes":15200000000},\
      "owners":[\
      {"name":"pypi","kind":"proxy","files":1200,"bytes":12300000000,"hits":45678,\
      "lastAccess":"2026-11-21T09:59:30Z"},\
      {"name":"local","kind":"hosted","files":12,"bytes":40000000,"hits":300,\
      "lastAccess":"2026-11-20T08:00:00Z"},\
      {"name":"debian","kind":"apt","files":800,"bytes":3060000000,"hits":9000,\
      "lastAccess":null}],\
      "largestProjects":[{"index":"pypi","project":"torch","files":12,"bytes":9800000000},\
      {"index":"pypi","project":"nvidia-cublas-cu12","files":3,"bytes":1700000000}],\
      "lastPrune":{"applied":true,"entriesScanned":2100,"entriesSelected":88,\
      "bytesSelected":2200000000,"blobsDeleted":80,"bytesFreed":2100000000,"skippedInUse":0,\
      "projects":[],"files":[],"filesTruncated":true,"tookMillis":900,\
      "finishedAt":"2026-11-21T03:00:00Z"},\
      "servedBytes":120000000000,"fetchedBytes":8400000000,"hitRatio":0.93}""";

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
  void printsStorageSavingsLargestProjectsAndLastPrune() {
    server.answer("/admin/stats", 200, AdminServer.JSON, STATS);

    CliRun run = AdminRuns.run(server, "stats");

    assertThat(run.exitCode()).as(run.err()).isZero();
    AdminServer.Request request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/admin/stats");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + AdminRuns.TOKEN);
    assertThat(run.out())
        .isEqualTo(
            """
            NAME    KIND    FILES     SIZE   HITS  LAST ACCESS
            pypi    proxy    1200  12.3 GB  45678  2026-11-21 09:59 UTC
            local   hosted     12  40.0 MB    300  2026-11-20 08:00 UTC
            debian  apt       800   3.1 GB   9000  -

            by kind: proxy 12.3 GB, hosted 40.0 MB, apt 3.1 GB
            total: 2012 files, 15.4 GB in 1990 blobs (15.2 GB on disk)
            served 120.0 GB, fetched upstream 8.4 GB: saved 111.6 GB; hit ratio 93.0%

            largest projects:
            INDEX  PROJECT             FILES    SIZE
            pypi   torch                  12  9.8 GB
            pypi   nvidia-cublas-cu12      3  1.7 GB

            last prune: 2026-11-21 03:00 UTC: deleted 88 files (2.2 GB), freed 2.1 GB
            """);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void freshServerHasNoRatioAndNoPrune() {
    server.answer(
        "/admin/stats",
        200,
        AdminServer.JSON,
        """
        {"entries":0,"bytes":0,"blobs":{"count":0,"bytes":0},"owners":[\
        {"name":"pypi","kind":"proxy","files":0,"bytes":0,"hits":0,"lastAccess":null}],\
        "largestProjects":[],"lastPrune":null,"servedBytes":0,"fetchedBytes":0,\
        "hitRatio":null}""");

    CliRun run = AdminRuns.run(server, "stats");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            NAME  KIND   FILES  SIZE  HITS  LAST ACCESS
            pypi  proxy      0   0 B     0  -

            total: 0 files, 0 B in 0 blobs (0 B on disk)
            served 0 B, fetched upstream 0 B: saved 0 B; hit ratio -

            last prune: never
            """);
  }

  @Test
  void jsonPrintsTheServersDocument() throws IOException {
    server.answer("/admin/stats", 200, AdminServer.JSON, STATS);

    CliRun run = AdminRuns.run(server, "stats", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(STATS));
  }

  @Test
  void unauthorizedWithoutATokenHintsAtOne() {
    server.answer("/admin/stats", 401, AdminServer.TEXT, "token required\n");

    CliRun run = AdminRuns.runWithoutToken(server, "stats");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("stats failed: 401 token required (pass --token or set WHEELHOUSE_TOKEN)\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void forbiddenFailsWithTheServersReason() {
    server.answer("/admin/stats", 403, AdminServer.TEXT, "token 'ci' lacks the admin role\n");

    CliRun run = AdminRuns.run(server, "stats");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("stats failed: 403 token 'ci' lacks the admin role\n");
  }

  @Test
  void missingEndpointIsA404WithTheReason() {
    CliRun run = AdminRuns.run(server, "stats");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("stats failed: 404 no such page\n");
  }

  @Test
  void answerThatIsNotJsonFails() {
    server.answer("/admin/stats", 200, "text/html", "<html>hello</html>");

    CliRun run = AdminRuns.run(server, "stats");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "stats failed: unexpected answer from " + server.url() + ": '<html>hello</html>'\n");
  }

  @Test
  void badUrlIsAUsageErrorWithoutARequest() {
    CliRun run = AdminRuns.run(server, "stats", "--url", "ftp://example.org");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("invalid server URL 'ftp://example.org'");
    assertThat(server.requests()).isEmpty();
  }
}
