package dev.wheelhouse.cli.prewarm;

import static dev.wheelhouse.cli.prewarm.ProxiedIndex.AMD64;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.ARM64;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.ARMONLY;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.PUREPY;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.SDISTONLY;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.TINY_ARM;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.TINY_X86;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.requirement;
import static dev.wheelhouse.cli.prewarm.ProxiedIndex.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wheelhouse prewarm -r pylock.toml} (PEP 751) against a real server and upstream. */
class PrewarmLockTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ProxiedIndex index;

  @BeforeEach
  void start() throws Exception {
    index = ProxiedIndex.start(dir.resolve("world"));
  }

  @AfterEach
  void stop() {
    index.close();
  }

  /** A lock of the fixture's projects; {@code purepySha256} is the hash locked for purepy. */
  private Path lock(String purepySha256) throws IOException {
    String toml =
        "lock-version = \"1.0\"\n"
            + "created-by = \"wheelhouse-tests\"\n"
            + "requires-python = \">=3.11\"\n"
            + "\n"
            + "[[packages]]\n"
            + "name = \"tinynative\"\n"
            + "version = \"1.0\"\n"
            + "index = \"https://pypi.org/simple\"\n"
            + wheel(TINY_X86, index.sha256(TINY_X86))
            + wheel(TINY_ARM, index.sha256(TINY_ARM))
            + "\n"
            + "[[packages]]\n"
            + "name = \"purepy\"\n"
            + "version = \"2.0\"\n"
            + wheel(PUREPY, purepySha256)
            + "\n"
            + "[[packages]]\n"
            + "name = \"armonly\"\n"
            + "version = \"1.0\"\n"
            + "marker = \"platform_machine == 'aarch64'\"\n"
            + wheel(ARMONLY, index.sha256(ARMONLY))
            + "\n"
            + "[[packages]]\n"
            + "name = \"sdistonly\"\n"
            + "version = \"1.0\"\n"
            + "\n"
            + "[packages.sdist]\n"
            + "name = \""
            + SDISTONLY
            + "\"\n"
            + "url = \"https://files.example/"
            + SDISTONLY
            + "\"\n"
            + "hashes = { sha256 = \""
            + index.sha256(SDISTONLY)
            + "\" }\n"
            + "\n"
            + "[[packages]]\n"
            + "name = \"localthing\"\n"
            + "\n"
            + "[packages.directory]\n"
            + "path = \"./localthing\"\n"
            + "\n"
            + "[[packages]]\n"
            + "name = \"vcsthing\"\n"
            + "version = \"0.1\"\n"
            + "\n"
            + "[packages.vcs]\n"
            + "type = \"git\"\n"
            + "url = \"https://example.invalid/vcsthing.git\"\n"
            + "commit-id = \"0123456789abcdef0123456789abcdef01234567\"\n";
    Path file = dir.resolve("pylock.toml");
    Files.writeString(file, toml);
    return file;
  }

  private static String wheel(String filename, String sha256) {
    return "\n[[packages.wheels]]\n"
        + "name = \""
        + filename
        + "\"\n"
        + "url = \"https://files.example/"
        + filename
        + "\"\n"
        + "hashes = { sha256 = \""
        + sha256
        + "\" }\n";
  }

  @Test
  void lockedPackagesArePrewarmedPerTarget() throws Exception {
    CliRun run = index.prewarm(index.env(), "-r", lock(index.sha256(PUREPY)).toString());

    assertThat(run.exitCode()).isEqualTo(1);
    String out = run.out();
    assertThat(row(out, "tinynative==1.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "purepy==2.0")).containsExactly("fetched", "fetched");
    assertThat(row(out, "armonly==1.0")).containsExactly("skipped (marker)", "fetched");
    assertThat(row(out, "sdistonly==1.0")).containsExactly("sdist-only", "sdist-only");
    assertThat(row(out, "localthing"))
        .containsExactly("skipped (VCS or directory)", "skipped (VCS or directory)");
    assertThat(row(out, "vcsthing"))
        .containsExactly("skipped (VCS or directory)", "skipped (VCS or directory)");
    assertThat(out).contains("0 cached, 5 fetched, 0 built, 2 sdist-only, 0 missing, 5 skipped");
    assertThat(out).doesNotContain("not pinned");
    assertThat(run.err().strip())
        .isEqualTo(
            "wheelhouse prewarm: 2 of 7 files missing"
                + " (use --allow-missing to accept, --build-missing to build sdist-only ones)");
  }

  @Test
  void secondRunIsCachedAndAllowMissingExitsZero() throws Exception {
    Path lock = lock(index.sha256(PUREPY));

    CliRun first = index.prewarm(index.env(), "-r", lock.toString(), "--allow-missing");
    CliRun second = index.prewarm(index.env(), "-r", lock.toString(), "--allow-missing");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(row(first.out(), "tinynative==1.0")).containsExactly("fetched", "fetched");
    assertThat(row(second.out(), "tinynative==1.0")).containsExactly("cached", "cached");
    assertThat(row(second.out(), "armonly==1.0")).containsExactly("skipped (marker)", "cached");
    assertThat(index.upstream.fileRequests(PUREPY)).isEqualTo(1);
  }

  @Test
  void jsonCarriesTheLockedFilesAndTheirHashes() throws Exception {
    CliRun run =
        index.prewarm(
            index.env(), "-r", lock(index.sha256(PUREPY)).toString(), "--json", "--allow-missing");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());
    JsonNode tiny = requirement(report, "tinynative");
    assertThat(tiny.get("version").asText()).isEqualTo("1.0");
    assertThat(tiny.get("source").asText()).endsWith("pylock.toml");
    assertThat(tiny.get("cells").get(ARM64).get("file").asText()).isEqualTo(TINY_ARM);
    assertThat(tiny.get("cells").get(ARM64).get("sha256").asText())
        .isEqualTo(index.sha256(TINY_ARM));
    JsonNode local = requirement(report, "localthing").get("cells").get(AMD64);
    assertThat(local.get("status").asText()).isEqualTo("skipped");
    assertThat(local.get("reason").asText()).isEqualTo("VCS or directory");
    assertThat(report.get("totals").get("files").asInt()).isEqualTo(7);
    assertThat(report.get("unpinned").size()).isZero();
  }

  @Test
  void aHashTheIndexDoesNotHaveIsMissing() throws Exception {
    CliRun run = index.prewarm(index.env(), "-r", lock("f".repeat(64)).toString(), "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode purepy = requirement(JSON.readTree(run.out()), "purepy").get("cells").get(ARM64);
    assertThat(purepy.get("status").asText()).isEqualTo("missing");
    assertThat(purepy.get("reason").asText()).containsIgnoringCase("hash");
    assertThat(run.err().strip()).startsWith("wheelhouse prewarm: 4 of 7 files missing");
  }
}
