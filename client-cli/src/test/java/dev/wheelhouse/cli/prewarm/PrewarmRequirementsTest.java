package dev.wheelhouse.cli.prewarm;

import static dev.wheelhouse.cli.prewarm.ProxiedIndex.AMD64;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.ARM64;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.PUREPY;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.TINY_ARM;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.TINY_X86;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.requirement;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.cli.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wheelhouse prewarm -r requirements.txt} against a real server proxying a real upstream:
 * hashes, markers, includes, constraints, environment variables, comments and continuations.
 */
class PrewarmRequirementsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILURE_LINE =
      "wheelhouse prewarm: 4 of 13 files missing"
          + " (use --allow-missing to accept, --build-missing to build sdist-only ones)";

  @TempDir Path dir;
  private ProxiedIndex index;
  private Path requirements;

  @BeforeEach
  void start() throws Exception {
    index = ProxiedIndex.start(dir.resolve("world"));
    Path reqs = Files.createDirectories(dir.resolve("reqs"));
    // Included and constraint files are named relative to the file that names them.
    Files.writeString(
        reqs.resolve("common.txt"),
        """
        purepy==${PUREPY_VERSION}  # from the env
        --index-url https://user:secret@pypi.example/simple
        --prefer-binary
        -e ./localpkg
        """);
    Files.writeString(reqs.resolve("constraints.txt"), "constrained==1.0\n");
    requirements = reqs.resolve("requirements.txt");
    Files.writeString(
        requirements,
        "# what the service installs\n"
            + "-r common.txt\n"
            + "-c constraints.txt\n"
            + "\n"
            + "tinynative==1.0 \\\n"
            + "    --hash=sha256:"
            + index.sha256(TINY_X86)
            + " \\\n"
            + "    --hash=sha256:"
            + index.sha256(TINY_ARM)
            + "\n"
            + "armonly==1.0 ; platform_machine == \"aarch64\"\n"
            + "legacy==1.0 ; python_version < \"3.0\"\n"
            + "sdistonly==1.0\n"
            + "loose>=1.0\n"
            + "constrained\n"
            + "direct @ https://example.invalid/direct-1.0.tar.gz\n"
            + "notthere==1.0\n");
  }

  @AfterEach
  void stop() {
    index.close();
  }

  private CliRun prewarm(String... args) {
    return index.prewarm(
        index.env("PUREPY_VERSION", "2.0"),
        concat(new String[] {"-r", requirements.toString()}, args));
  }

  @Test
  void coverageTableHasACellPerRequirementAndTarget() {
    CliRun run = prewarm();

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    String out = run.out();
    assertThat(out.lines().findFirst().orElseThrow().split(" {2,}", -1))
        .containsExactly("REQUIREMENT", AMD64, ARM64);
    assertThat(row(out, "purepy==2.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "tinynative==1.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "armonly==1.0")).containsExactly("skipped (marker)", "fetched");
    assertThat(row(out, "legacy==1.0")).containsExactly("skipped (marker)", "skipped (marker)");
    assertThat(row(out, "sdistonly==1.0")).containsExactly("sdist-only", "sdist-only");
    assertThat(row(out, "loose>=1.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "constrained==1.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "direct")).containsExactly("skipped (direct URL)", "skipped (direct URL)");
    assertThat(row(out, "notthere==1.0")).containsExactly("missing", "missing");
    assertThat(out)
        .contains("0 cached, 9 fetched, 0 built, 2 sdist-only, 2 missing, 5 skipped in ");
    // The details name every gap with its reason.
    assertThat(out).containsPattern("notthere==1\\.0 +" + AMD64 + " +missing +not on the index");
    assertThat(out).containsPattern("sdistonly==1\\.0 +" + ARM64 + " +sdist-only +\\S");
    assertThat(out)
        .contains(
            "not pinned: loose; pin them (pip-compile --generate-hashes, uv pip compile, or pip"
                + " freeze) so every build installs the same files");
    assertThat(run.err().lines().toList())
        .containsExactly(
            "wheelhouse prewarm: note: --index-url/--extra-index-url in requirements files are"
                + " ignored: files come from the server's index",
            "wheelhouse prewarm: note: ignored in requirements files: --prefer-binary",
            "wheelhouse prewarm: note: not prewarmed (editable or bare URL): "
                + requirements.resolveSibling("common.txt")
                + ":4",
            FAILURE_LINE);
  }

  @Test
  void aWheelForEveryTargetIsDownloadedOnceAndTheServerKeepsIt() throws Exception {
    CliRun run = prewarm("--allow-missing");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // py3-none-any fits both targets: one download.
    assertThat(index.upstream.fileRequests(PUREPY)).isEqualTo(1);
    assertThat(index.upstream.fileRequests(TINY_X86)).isEqualTo(1);
    assertThat(index.upstream.fileRequests(TINY_ARM)).isEqualTo(1);
    assertThat(index.upstream.fileRequests("loose-1.1-py3-none-any.whl")).isEqualTo(1);
    assertThat(index.upstream.fileRequests("loose-1.0-py3-none-any.whl")).isZero();
    assertThat(index.upstream.fileRequests("constrained-2.0-py3-none-any.whl")).isZero();
    assertThat(index.server.get("/files/pypi/purepy/" + PUREPY).statusCode()).isEqualTo(200);
    assertThat(index.server.get("/files/pypi/armonly/" + ProxiedIndex.ARMONLY).statusCode())
        .isEqualTo(200);
  }

  @Test
  void secondRunFindsCachedWhatTheFirstFetched() {
    CliRun first = prewarm("--allow-missing");
    index.upstream.stop();
    CliRun second = prewarm("--allow-missing");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(row(first.out(), "tinynative==1.0")).containsExactly("fetched", "fetched");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(row(second.out(), "tinynative==1.0")).containsExactly("cached", "cached");
    assertThat(row(second.out(), "purepy==2.0")).containsExactly("cached", "cached");
    assertThat(row(second.out(), "armonly==1.0")).containsExactly("skipped (marker)", "cached");
    assertThat(second.out()).contains("9 cached, 0 fetched, 0 built, 2 sdist-only, 2 missing");
  }

  @Test
  void allowMissingExitsZeroWithTheSameReport() {
    CliRun run = prewarm("--allow-missing");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(row(run.out(), "sdistonly==1.0")).containsExactly("sdist-only", "sdist-only");
    assertThat(run.err()).doesNotContain("files missing");
  }

  @Test
  void jsonHasTargetsCellsTotalsAndUnpinnedAndNothingElse() throws Exception {
    CliRun run = prewarm("--json", "--jobs", "2");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).endsWith(FAILURE_LINE).doesNotContain("secret");
    // One JSON document and nothing else.
    assertThat(run.out()).startsWith("{").endsWith("}\n");
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("targets").toString()).isEqualTo("[\"" + AMD64 + "\",\"" + ARM64 + "\"]");

    JsonNode tiny = requirement(report, "tinynative");
    assertThat(tiny.get("version").asText()).isEqualTo("1.0");
    assertThat(tiny.get("source").asText()).endsWith("requirements.txt:5");
    JsonNode tinyX86 = tiny.get("cells").get(AMD64);
    assertThat(tinyX86.get("status").asText()).isEqualTo("fetched");
    assertThat(tinyX86.get("file").asText()).isEqualTo(TINY_X86);
    assertThat(tinyX86.get("sha256").asText()).isEqualTo(index.sha256(TINY_X86));
    assertThat(tinyX86.get("reason").isNull()).isTrue();
    assertThat(tiny.get("cells").get(ARM64).get("file").asText()).isEqualTo(TINY_ARM);

    JsonNode armonly = requirement(report, "armonly").get("cells");
    assertThat(armonly.get(AMD64).get("status").asText()).isEqualTo("skipped");
    assertThat(armonly.get(AMD64).get("reason").asText()).isEqualTo("marker");
    assertThat(armonly.get(ARM64).get("status").asText()).isEqualTo("fetched");

    JsonNode sdist = requirement(report, "sdistonly").get("cells").get(AMD64);
    assertThat(sdist.get("status").asText()).isEqualTo("sdist-only");
    assertThat(sdist.get("file").asText()).isEqualTo(ProxiedIndex.SDISTONLY);
    assertThat(sdist.get("reason").asText()).isNotBlank();

    JsonNode legacy = requirement(report, "legacy");
    assertThat(legacy.get("version").asText()).isEqualTo("1.0");
    assertThat(legacy.get("cells").get(ARM64).get("reason").asText()).isEqualTo("marker");

    JsonNode direct = requirement(report, "direct").get("cells").get(AMD64);
    assertThat(direct.get("status").asText()).isEqualTo("skipped");
    assertThat(direct.get("reason").asText()).isEqualTo("direct URL");

    JsonNode loose = requirement(report, "loose");
    assertThat(loose.get("version").isNull()).isTrue();
    assertThat(loose.get("cells").get(ARM64).get("file").asText())
        .isEqualTo("loose-1.1-py3-none-any.whl");
    assertThat(requirement(report, "constrained").get("cells").get(AMD64).get("file").asText())
        .isEqualTo("constrained-1.0-py3-none-any.whl");
    assertThat(requirement(report, "notthere").get("cells").get(ARM64).get("reason").asText())
        .isEqualTo("not on the index");

    JsonNode totals = report.get("totals");
    assertThat(totals.get("fetched").asInt()).isEqualTo(9);
    assertThat(totals.get("cached").asInt()).isZero();
    assertThat(totals.get("sdist-only").asInt()).isEqualTo(2);
    assertThat(totals.get("missing").asInt()).isEqualTo(2);
    assertThat(totals.get("skipped").asInt()).isEqualTo(5);
    assertThat(totals.get("files").asInt()).isEqualTo(13);
    assertThat(report.get("unpinned").toString()).isEqualTo("[\"loose\"]");
  }

  @Test
  void aWrongHashLeavesTheFileMissingWithAHashReason() throws Exception {
    Path wrong = dir.resolve("wrong-hash.txt");
    Files.writeString(wrong, "purepy==2.0 --hash=sha256:" + "0".repeat(64) + "\ntinynative==1.0\n");

    CliRun run = index.prewarm(index.env(), "-r", wrong.toString(), "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.out());
    JsonNode purepy = requirement(report, "purepy").get("cells").get(AMD64);
    assertThat(purepy.get("status").asText()).isEqualTo("missing");
    assertThat(purepy.get("reason").asText()).containsIgnoringCase("hash");
    assertThat(requirement(report, "tinynative").get("cells").get(AMD64).get("status").asText())
        .isEqualTo("fetched");
    assertThat(index.upstream.fileRequests(PUREPY)).isZero();
    assertThat(run.err().strip())
        .isEqualTo("wheelhouse prewarm: 2 of 4 files missing (use --allow-missing to accept)");
  }

  @Test
  void anIndexOptionReadsThatIndexOnly() throws Exception {
    Path simple = dir.resolve("simple.txt");
    Files.writeString(simple, "purepy==2.0\n");

    CliRun proxy = index.prewarm(index.env(), "-r", simple.toString(), "--index", "pypi");
    CliRun hosted = index.prewarm(index.env(), "-r", simple.toString(), "--index", "local");

    assertThat(proxy.exitCode()).as(proxy.err()).isZero();
    assertThat(row(proxy.out(), "purepy==2.0")).containsExactly("fetched", "fetched");
    assertThat(hosted.exitCode()).isEqualTo(1);
    assertThat(row(hosted.out(), "purepy==2.0")).containsExactly("missing", "missing");
  }

  @Test
  void unreachableServerIsOneLineAndExitOne() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path simple = dir.resolve("simple.txt");
    Files.writeString(simple, "purepy==2.0\n");

    CliRun run =
        index.prewarm(Map.of(), "-r", simple.toString(), "--url", "http://127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "wheelhouse prewarm: cannot reach http://127.0.0.1:" + port + ": connection refused\n");
  }

  @Test
  void progressGoesToStderrAndStdoutKeepsOnlyTheReport() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Invocation interactive =
          new Invocation(
              outStream, errStream, index.env("PUREPY_VERSION", "2.0", "COLUMNS", "100"), true);
      exitCode =
          new CommandLine(new PrewarmCommand(interactive))
              .execute(
                  concat(
                      new String[] {"-r", requirements.toString(), "--allow-missing"},
                      ProxiedIndex.TWO_TARGETS));
    }

    assertThat(exitCode).isZero();
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stdout).doesNotContain("\r").startsWith("REQUIREMENT");
    assertThat(row(stdout, "purepy==2.0")).containsExactly("fetched", "fetched");
    // The bar was drawn in place, then erased.
    assertThat(stderr).contains("\rprewarm").endsWith(" ".repeat(99) + "\r");
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = new String[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
