package dev.wheelhouse.cli.apt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wheelhouse apt-sources}, run in-process with temporary configs and apt directories. */
class AptSourcesCommandTest {
  private static final String SERVER = "http://wheelhouse:8080";
  private static final String CONFIG =
      """
      apt:
        mirrors:
          - name: debian
            url: http://mirror.example.org/debian
          - name: debian-security
            url: http://security.example.org/debian-security/
            ttl: 1h
      """;
  private static final String SOURCES_LIST =
      """
      # Debian archive
      deb http://mirror.example.org/debian bookworm main contrib
      deb-src http://mirror.example.org/debian bookworm main contrib
      deb [arch=amd64 signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.example.com/apt/debian bookworm stable
      deb cdrom:[Debian GNU/Linux 12 _Bookworm_]/ bookworm main
      deb file:/srv/local-repo ./
      """;
  private static final String DEBIAN_SOURCES =
      """
      Types: deb
      URIs: http://security.example.org/debian-security
      Suites: bookworm-security
      Components: main
      Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

      Types: deb
      URIs: http://mirror.example.org/debian
      Suites: bookworm-backports
      Components: main
      Enabled: no
      """;
  private static final String TOOLS_LIST =
      "deb http://mirror.example.org/debian/ bookworm-updates main contrib # updates\n";

  @TempDir Path dir;
  private Path config;
  private Path osRelease;
  private Path aptDir;

  @BeforeEach
  void files() throws IOException {
    config = write(dir.resolve("wheelhouse.yaml"), CONFIG);
    osRelease =
        write(
            dir.resolve("os-release"),
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_CODENAME=bookworm\n");
    aptDir = dir.resolve("apt");
    write(aptDir.resolve("sources.list"), SOURCES_LIST);
    write(aptDir.resolve("sources.list.d/debian.sources"), DEBIAN_SOURCES);
    write(aptDir.resolve("sources.list.d/tools.list"), TOOLS_LIST);
    write(aptDir.resolve("sources.list.d/tools.list.save"), "not read\n");
    write(aptDir.resolve("sources.list.d/bad~name.list"), "not read\n");
  }

  // --- sources for the configured mirrors

  @Test
  void printsDeb822ForEveryConfiguredMirror() {
    CliRun run = apt("--config", config.toString(), "--os-release", osRelease.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            Types: deb
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm
            Components: main

            Types: deb
            URIs: http://wheelhouse:8080/apt/debian-security
            Suites: bookworm-security
            Components: main
            """);
  }

  @Test
  void suitesComponentsKeyringAndTrust() {
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
            "--trusted");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            Types: deb
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm bookworm-updates
            Components: main contrib
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            Trusted: yes

            Types: deb
            URIs: http://wheelhouse:8080/apt/debian-security
            Suites: bookworm-security
            Components: main contrib
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            Trusted: yes
            """);
  }

  @Test
  void listFormatHasOneLinePerSuite() {
    CliRun run =
        apt(
            "--config",
            config.toString(),
            "--format",
            "list",
            "--suite",
            "bookworm",
            "--suite",
            "bookworm-updates",
            "--suite",
            "debian-security=bookworm-security",
            "--signed-by",
            "/usr/share/keyrings/debian-archive-keyring.gpg");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://wheelhouse:8080/apt/debian bookworm main
            deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://wheelhouse:8080/apt/debian bookworm-updates main
            deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://wheelhouse:8080/apt/debian-security bookworm-security main
            """);
  }

  @Test
  void mirrorOptionSelectsAndOrders() {
    CliRun run =
        apt(
            "--config",
            config.toString(),
            "--mirror",
            "debian-security",
            "--mirror",
            "debian",
            "--suite",
            "trixie",
            "--format",
            "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            deb http://wheelhouse:8080/apt/debian-security trixie main
            deb http://wheelhouse:8080/apt/debian trixie main
            """);
  }

  @Test
  void urlAndConfigComeFromTheEnvironment() {
    CliRun run =
        CliRun.run(
            Map.of(
                "WHEELHOUSE_URL",
                "https://cache.example.org/wheelhouse/",
                "WHEELHOUSE_CONFIG",
                config.toString()),
            "apt-sources",
            "--mirror",
            "debian",
            "--suite",
            "bookworm",
            "--format",
            "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("deb https://cache.example.org/wheelhouse/apt/debian bookworm main\n");
  }

  @Test
  void urlDefaultsToTheLocalServer() {
    CliRun run =
        CliRun.run(
            "apt-sources",
            "--config",
            config.toString(),
            "--mirror",
            "debian",
            "--suite",
            "bookworm",
            "--format",
            "list");

    assertThat(run.out()).isEqualTo("deb http://127.0.0.1:8080/apt/debian bookworm main\n");
  }

  @Test
  void writeSourcesWritesTheFileInsteadOfStdout() throws IOException {
    Path target = dir.resolve("wheelhouse.sources");

    CliRun run =
        apt(
            "--config",
            config.toString(),
            "--mirror",
            "debian",
            "--suite",
            "bookworm",
            "--write-sources",
            target.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("wrote " + target + "\n");
    assertThat(Files.readString(target))
        .isEqualTo(
            """
            Types: deb
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm
            Components: main
            """);
  }

  @Test
  void jsonHasTheMirrorsAndSources() throws IOException {
    CliRun run =
        apt("--config", config.toString(), "--suite", "bookworm", "--mirror", "debian", "--json");

    assertThat(run.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("server").asText()).isEqualTo(SERVER);
    JsonNode mirror = json.get("mirrors").get(0);
    assertThat(mirror.get("name").asText()).isEqualTo("debian");
    assertThat(mirror.get("url").asText()).isEqualTo("http://mirror.example.org/debian/");
    assertThat(mirror.get("ttl").asText()).isEqualTo("5m");
    assertThat(mirror.get("aptUrl").asText()).isEqualTo(SERVER + "/apt/debian/");
    assertThat(mirror.get("configured").asBoolean()).isTrue();
    JsonNode source = json.get("sources").get(0);
    assertThat(source.get("types").toString()).isEqualTo("[\"deb\"]");
    assertThat(source.get("uris").toString()).isEqualTo("[\"" + SERVER + "/apt/debian\"]");
    assertThat(source.get("suites").toString()).isEqualTo("[\"bookworm\"]");
    assertThat(source.get("components").toString()).isEqualTo("[\"main\"]");
    assertThat(json.get("skipped").size()).isZero();
  }

  // --- errors

  @Test
  void noMirrorsConfiguredIsAFailure() {
    CliRun run = CliRun.run(Map.of(), "apt-sources", "--suite", "bookworm");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "no apt mirrors configured: add apt.mirrors to the server config and pass it with"
                + " --config FILE, or run with --from-host to derive mirrors from this host's apt"
                + " sources\n");
  }

  @Test
  void aConfigWithoutMirrorsIsNamed() throws IOException {
    Path empty = write(dir.resolve("empty.yaml"), "offline: false\n");

    CliRun run = apt("--config", empty.toString(), "--suite", "bookworm");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("no apt mirrors configured in " + empty + ": ");
  }

  @Test
  void unknownMirrorListsTheConfiguredOnes() {
    CliRun run = apt("--config", config.toString(), "--suite", "bookworm", "--mirror", "ubuntu");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "unknown apt mirror 'ubuntu' in --mirror (configured: debian, debian-security)\n");
  }

  @Test
  void unknownMirrorInASuiteIsAUsageError() {
    CliRun run = apt("--config", config.toString(), "--suite", "ubuntu=jammy");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "unknown apt mirror 'ubuntu' in --suite ubuntu=jammy"
                + " (configured: debian, debian-security)\n");
  }

  @Test
  void noSuiteAndNoOsReleaseIsAUsageError() {
    Path missing = dir.resolve("no-os-release");

    CliRun run = apt("--config", config.toString(), "--os-release", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "no --suite given, and cannot read " + missing + " for the default: no such file\n");
  }

  @Test
  void noCodenameInOsReleaseIsAUsageError() throws IOException {
    Path sid =
        write(dir.resolve("os-release-sid"), "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n");

    CliRun run = apt("--config", config.toString(), "--os-release", sid.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("no --suite given, and " + sid + " has no VERSION_CODENAME: pass --suite\n");
  }

  @Test
  void invalidConfigIsListed() throws IOException {
    Path bad =
        write(
            dir.resolve("bad.yaml"), "apt:\n  mirrors:\n    - name: Debian\n      url: ftp://x\n");

    CliRun run = apt("--config", bad.toString(), "--suite", "bookworm");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("invalid configuration:\n  apt.mirrors[0].");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(apt("--config", config.toString(), "--format", "yaml").err())
        .isEqualTo("invalid --format 'yaml': expected deb822 or list\n");
    assertThat(apt("--config", config.toString(), "--apt-dir", aptDir.toString()).err())
        .isEqualTo("--apt-dir only applies with --from-host\n");
    assertThat(apt("--from-host", "--suite", "bookworm", "--trusted").err())
        .isEqualTo(
            "--suite, --trusted do not apply with --from-host: the host's sources give them\n");
    assertThat(CliRun.run("apt-sources", "--url", "ftp://x", "--suite", "bookworm").err())
        .startsWith("invalid server URL 'ftp://x'");
    assertThat(apt("--config", config.toString(), "--format", "yaml").exitCode()).isEqualTo(2);
  }

  // --- --from-host

  @Test
  void fromHostPrintsTheMirrorsAndTheSourcesThroughTheServer() {
    CliRun run = apt("--from-host", "--apt-dir", aptDir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            # apt section of the wheelhouse server config
            apt:
              mirrors:
                - name: debian
                  url: http://mirror.example.org/debian/
                - name: debian-vendor
                  url: https://vendor.example.com/apt/debian/
                - name: debian-security
                  url: http://security.example.org/debian-security/

            # apt sources through wheelhouse, in place of those in %s
            Types: deb deb-src
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm
            Components: main contrib

            Types: deb
            URIs: http://wheelhouse:8080/apt/debian-vendor
            Suites: bookworm
            Components: stable
            Architectures: amd64
            Signed-By: /usr/share/keyrings/vendor.gpg

            Types: deb
            URIs: http://wheelhouse:8080/apt/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm-updates
            Components: main contrib
            """
                .formatted(aptDir));
    assertThat(run.err())
        .isEqualTo(
            """
            note: ignored %1$s/sources.list.d/bad~name.list: apt reads only file names of letters, digits, '_', '-' and '.'
            note: skipped %1$s/sources.list:5: cdrom:[Debian GNU/Linux 12 _Bookworm_]/ (only http and https repositories can go through wheelhouse)
            note: skipped %1$s/sources.list:6: file:/srv/local-repo (only http and https repositories can go through wheelhouse)
            note: new mirrors, not yet in the server config: debian, debian-vendor, debian-security
            """
                .formatted(aptDir));
  }

  @Test
  void fromHostInListFormatKeepsTheLines() {
    CliRun run =
        apt(
            "--from-host",
            "--apt-dir",
            aptDir.toString(),
            "--format",
            "list",
            "--write-sources",
            dir.resolve("wheelhouse.list").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("apt:\n  mirrors:\n    - name: debian\n");
    assertThat(dir.resolve("wheelhouse.list"))
        .hasContent(
            """
            deb http://wheelhouse:8080/apt/debian bookworm main contrib
            deb-src http://wheelhouse:8080/apt/debian bookworm main contrib
            deb [arch=amd64 signed-by=/usr/share/keyrings/vendor.gpg] http://wheelhouse:8080/apt/debian-vendor bookworm stable
            deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://wheelhouse:8080/apt/debian-security bookworm-security main
            deb http://wheelhouse:8080/apt/debian bookworm-updates main contrib""");
  }

  @Test
  void fromHostReusesConfiguredMirrorsAndPrintsTheWholeSection() throws IOException {
    Path existing =
        write(
            dir.resolve("existing.yaml"),
            """
            apt:
              mirrors:
                - name: archive
                  url: http://Mirror.example.org/debian
                  ttl: 1h
                - name: unused
                  url: http://unused.example.org/apt/
            """);
    Path sources = dir.resolve("wheelhouse.sources");

    CliRun run =
        apt(
            "--from-host",
            "--apt-dir",
            aptDir.toString(),
            "--config",
            existing.toString(),
            "--write-sources",
            sources.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            apt:
              mirrors:
                - name: archive
                  url: http://Mirror.example.org/debian/
                  ttl: 1h
                - name: unused
                  url: http://unused.example.org/apt/
                - name: debian
                  url: https://vendor.example.com/apt/debian/
                - name: debian-security
                  url: http://security.example.org/debian-security/
            """);
    assertThat(Files.readString(sources))
        .startsWith(
            """
            Types: deb deb-src
            URIs: http://wheelhouse:8080/apt/archive
            Suites: bookworm
            """)
        .contains(
            "URIs: http://wheelhouse:8080/apt/debian\nSuites: bookworm\nComponents: stable\n");
    assertThat(run.err())
        .endsWith(
            "wrote "
                + sources
                + "\nnote: new mirrors, not yet in the server config: debian, debian-security\n");
  }

  @Test
  void fromHostJson() throws IOException {
    CliRun run = apt("--from-host", "--apt-dir", aptDir.toString(), "--json");

    assertThat(run.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    List<String> names = new ArrayList<>();
    json.get("mirrors").forEach(m -> names.add(m.get("name").asText()));
    assertThat(names).containsExactly("debian", "debian-vendor", "debian-security");
    assertThat(json.get("mirrors").get(0).get("configured").asBoolean()).isFalse();
    JsonNode vendor = json.get("sources").get(1);
    assertThat(vendor.get("uris").get(0).asText()).isEqualTo(SERVER + "/apt/debian-vendor");
    assertThat(vendor.get("options").toString())
        .isEqualTo("{\"arch\":[\"amd64\"],\"signed-by\":[\"/usr/share/keyrings/vendor.gpg\"]}");
    assertThat(vendor.get("origin").asText()).isEqualTo(aptDir + "/sources.list:4");
    JsonNode skipped = json.get("skipped").get(1);
    assertThat(skipped.get("origin").asText()).isEqualTo(aptDir + "/sources.list:6");
    assertThat(skipped.get("uri").asText()).isEqualTo("file:/srv/local-repo");
  }

  @Test
  void fromHostKeepsSourcesAlreadyThroughTheServer() throws IOException {
    Path host = dir.resolve("through");
    write(
        host.resolve("sources.list.d/wheelhouse.list"),
        "deb http://wheelhouse:8080/apt/debian bookworm main\n");

    CliRun run = apt("--from-host", "--apt-dir", host.toString(), "--format", "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "# apt section of the wheelhouse server config\napt:\n  mirrors: []\n\n"
                + "# apt sources through wheelhouse, in place of those in "
                + host
                + "\ndeb http://wheelhouse:8080/apt/debian bookworm main\n");
  }

  @Test
  void fromHostWithEmbeddedKeyNeedsDeb822() throws IOException {
    Path host = dir.resolve("embedded");
    write(
        host.resolve("sources.list.d/key.sources"),
        """
        Types: deb
        URIs: http://mirror.example.org/debian
        Suites: bookworm
        Components: main
        Signed-By:
         -----BEGIN PGP PUBLIC KEY BLOCK-----
         .
         abc
         -----END PGP PUBLIC KEY BLOCK-----
        """);

    CliRun list = apt("--from-host", "--apt-dir", host.toString(), "--format", "list");
    CliRun deb822 = apt("--from-host", "--apt-dir", host.toString());

    assertThat(list.exitCode()).isEqualTo(2);
    assertThat(list.err())
        .endsWith(
            "the one-line format cannot express Signed-By with an embedded key:"
                + " use --format deb822\n");
    assertThat(deb822.exitCode()).isZero();
    assertThat(deb822.out())
        .endsWith(
            """
            Signed-By:
             -----BEGIN PGP PUBLIC KEY BLOCK-----
             .
             abc
             -----END PGP PUBLIC KEY BLOCK-----
            """);
  }

  @Test
  void fromHostWithoutSourcesFails() {
    Path empty = dir.resolve("nothing");

    CliRun run = apt("--from-host", "--apt-dir", empty.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "no apt sources found in "
                + empty
                + " (sources.list, sources.list.d/*.list, sources.list.d/*.sources)\n");
  }

  @Test
  void fromHostWithOnlyLocalSourcesFails() throws IOException {
    Path host = dir.resolve("local");
    write(host.resolve("sources.list"), "deb file:/srv/repo ./\n");

    CliRun run = apt("--from-host", "--apt-dir", host.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .endsWith(
            "none of the apt sources in "
                + host
                + " is an http or https repository: nothing to mirror\n");
  }

  @Test
  void fromHostReportsWhereASourceIsInvalid() throws IOException {
    write(aptDir.resolve("sources.list.d/tools.list"), "\ndeb http://mirror.example.org/debian\n");

    CliRun run = apt("--from-host", "--apt-dir", aptDir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .endsWith(
            "invalid apt sources: " + aptDir + "/sources.list.d/tools.list:2: missing suite\n");
  }

  @Test
  void fromHostReportsAnUnreadableFile() throws IOException {
    Path host = dir.resolve("unreadable");
    Files.createDirectories(host.resolve("sources.list"));

    CliRun run = apt("--from-host", "--apt-dir", host.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("cannot read " + host.resolve("sources.list") + ": ");
  }

  private static CliRun apt(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "apt-sources";
    all[1] = "--url";
    all[2] = SERVER;
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.run(Map.of(), all);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
