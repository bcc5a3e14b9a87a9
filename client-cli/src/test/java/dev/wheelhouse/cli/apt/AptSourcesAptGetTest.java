package dev.wheelhouse.cli.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wheelhouse.cli.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The printed sources are accepted by the real apt: {@code apt-get indextargets} parses them (with
 * no system sources and a private state directory) and lists the index files it would fetch through
 * the server. Skipped where apt-get is not installed.
 */
class AptSourcesAptGetTest {
  private static final String SERVER = "http://wheelhouse:8080";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void aptGetIsInstalled() throws IOException {
    assumeTrue(aptGet().isPresent(), "apt-get is not installed: the apt syntax check is skipped");
    config =
        write(
            dir.resolve("wheelhouse.yaml"),
            """
            apt:
              mirrors:
                - name: debian
                  url: http://mirror.example.org/debian
                - name: debian-security
                  url: http://security.example.org/debian-security
            """);
  }

  @Test
  void aptAcceptsTheDeb822Sources() throws Exception {
    Path parts = Files.createDirectories(dir.resolve("parts"));
    CliRun run =
        apt(
            "--config",
            config.toString(),
            "--suite",
            "bookworm",
            "--suite",
            "bookworm-updates",
            "--suite",
            "debian-security=bookworm-security",
            "--component",
            "main",
            "--component",
            "contrib",
            "--signed-by",
            "/usr/share/keyrings/debian-archive-keyring.gpg",
            "--write-sources",
            parts.resolve("wheelhouse.sources").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    List<String> targets = indexTargets(parts.resolve("wheelhouse.sources"));

    assertThat(targets)
        .contains(
            SERVER + "/apt/debian/dists/bookworm/main/binary-amd64/Packages",
            SERVER + "/apt/debian/dists/bookworm-updates/contrib/binary-amd64/Packages",
            SERVER + "/apt/debian-security/dists/bookworm-security/main/binary-amd64/Packages");
    assertThat(targets).allMatch(uri -> uri.startsWith(SERVER + "/apt/debian"));
  }

  @Test
  void aptAcceptsTheOneLineSources() throws Exception {
    Path parts = Files.createDirectories(dir.resolve("parts"));
    CliRun run =
        apt(
            "--config",
            config.toString(),
            "--mirror",
            "debian",
            "--suite",
            "bookworm",
            "--format",
            "list",
            "--trusted",
            "--write-sources",
            parts.resolve("wheelhouse.list").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    assertThat(indexTargets(parts.resolve("wheelhouse.list")))
        .containsExactlyInAnyOrder(
            SERVER + "/apt/debian/dists/bookworm/main/binary-amd64/Packages",
            SERVER + "/apt/debian/dists/bookworm/main/binary-all/Packages");
  }

  @Test
  void aptAcceptsHostSourcesRewrittenThroughTheServer() throws Exception {
    Path host = dir.resolve("host");
    write(
        host.resolve("sources.list"),
        "deb http://mirror.example.org/debian bookworm main\n"
            + "deb-src http://mirror.example.org/debian bookworm main\n"
            + "deb [arch=amd64 signed-by=/usr/share/keyrings/vendor.gpg]"
            + " https://vendor.example.com/apt bookworm stable\n");
    write(
        host.resolve("sources.list.d/debian.sources"),
        """
        Types: deb
        URIs: http://security.example.org/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By:
         -----BEGIN PGP PUBLIC KEY BLOCK-----
         .
         mDMEYCQjIxYJKwYBBAHaRw8BAQdAD/P5Nvvnvk66SxBBHDbhRml9ORg1WV5CvzKY
         =IE0r
         -----END PGP PUBLIC KEY BLOCK-----
        """);
    Path parts = Files.createDirectories(dir.resolve("parts"));
    CliRun run =
        apt(
            "--from-host",
            "--apt-dir",
            host.toString(),
            "--write-sources",
            parts.resolve("wheelhouse.sources").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    assertThat(indexTargets(parts.resolve("wheelhouse.sources")))
        .containsExactlyInAnyOrder(
            SERVER + "/apt/debian/dists/bookworm/main/source/Sources",
            SERVER + "/apt/debian/dists/bookworm/main/binary-amd64/Packages",
            SERVER + "/apt/debian/dists/bookworm/main/binary-all/Packages",
            SERVER + "/apt/apt/dists/bookworm/stable/binary-amd64/Packages",
            SERVER + "/apt/apt/dists/bookworm/stable/binary-all/Packages",
            SERVER + "/apt/debian-security/dists/bookworm-security/main/binary-amd64/Packages",
            SERVER + "/apt/debian-security/dists/bookworm-security/main/binary-all/Packages");
  }

  /**
   * The index files apt would fetch for {@code sourcesFile} (and its directory) alone, for
   * architecture amd64; fails the test if apt reports any error.
   */
  private List<String> indexTargets(Path sourcesFile) throws Exception {
    Path parts = sourcesFile.getParent();
    Path empty = Files.createDirectories(dir.resolve("empty.d"));
    Path aptConf = write(dir.resolve("apt.conf"), "");
    Path state = Files.createDirectories(dir.resolve("state/lists/partial"));
    Path cache = Files.createDirectories(dir.resolve("cache/archives/partial"));
    List<String> command =
        List.of(
            aptGet().orElseThrow().toString(),
            "-o",
            "Dir::Etc::SourceList=" + write(dir.resolve("sources.list"), ""),
            "-o",
            "Dir::Etc::SourceParts=" + parts,
            "-o",
            "Dir::Etc::Parts=" + empty,
            "-o",
            "Dir::Etc::Preferences=/dev/null",
            "-o",
            "Dir::Etc::PreferencesParts=" + empty,
            "-o",
            "Dir::State=" + state.getParent(),
            "-o",
            "Dir::Cache=" + cache.getParent().getParent(),
            "-o",
            "Debug::NoLocking=1",
            "-o",
            "APT::Architecture=amd64",
            "-o",
            "APT::Architectures::=amd64",
            "-o",
            "Acquire::Languages=none",
            "indextargets",
            "--no-release-info",
            "--format",
            "$(URI)");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("APT_CONFIG", aptConf.toString());
    builder.environment().put("LC_ALL", "C");
    builder.redirectError(dir.resolve("apt.err").toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("apt-get finished").isTrue();
    String err = Files.readString(dir.resolve("apt.err"));
    String sources = Files.readString(sourcesFile);
    assertThat(process.exitValue()).as("apt-get: %s%nsources:%n%s", err, sources).isZero();
    assertThat(err).as("apt-get stderr for:%n%s", sources).doesNotContain("E:", "W:");
    return out.lines().filter(line -> !line.isBlank()).toList();
  }

  private static Optional<Path> aptGet() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, "apt-get");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static CliRun apt(String... args) {
    List<String> all = new ArrayList<>(List.of("apt-sources", "--url", SERVER));
    all.addAll(List.of(args));
    return CliRun.run(Map.of(), all.toArray(String[]::new));
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
