package dev.wheelhouse.cli.apt;

import static dev.wheelhouse.cli.apt.AptSourcesOneLineTest.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The deb822 sources format ({@code *.sources}). */
class AptSourcesDeb822Test {
  private static final String FILE = "/etc/apt/sources.list.d/debian.sources";
  private static final String DEBIAN = "http://mirror.example.org/debian";
  private static final String SECURITY = "http://security.example.org/debian-security";
  private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
  private static final String KEY =
      "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEYCQjIxYJKwYBBAHaRw8BAQdA\n=IE0r\n"
          + "-----END PGP PUBLIC KEY BLOCK-----";

  static Stream<Arguments> parsed() {
    return Stream.of(
        Arguments.of(
            "two stanzas with comments inside",
            "Types: deb\n"
                + "# a comment inside the stanza\n"
                + "URIs: "
                + DEBIAN
                + "\n"
                + "Suites: bookworm bookworm-updates\n"
                + "Components: main\n"
                + "Signed-By: "
                + KEYRING
                + "\n"
                + "\n"
                + "# between stanzas\n"
                + "Types: deb\n"
                + "URIs: "
                + SECURITY
                + "\n"
                + "Suites: bookworm-security\n"
                + "Components: main\n"
                + "Signed-By: "
                + KEYRING
                + "\n",
            List.of(
                entry(
                    List.of("deb"),
                    List.of(DEBIAN),
                    List.of("bookworm", "bookworm-updates"),
                    List.of("main"),
                    options("signed-by", List.of(KEYRING)),
                    1),
                entry(
                    List.of("deb"),
                    List.of(SECURITY),
                    List.of("bookworm-security"),
                    List.of("main"),
                    options("signed-by", List.of(KEYRING)),
                    9))),
        Arguments.of(
            "several types and URIs, continuation lines, lists",
            "Types: deb deb-src\n"
                + "URIs: "
                + DEBIAN
                + "\n  http://other.example.org/debian\n"
                + "Suites: bookworm\n\tbookworm-updates\n"
                + "Components: main contrib\n"
                + "Architectures: amd64   arm64\n"
                + "Architectures-Add: i386\n"
                + "Signed-By: /a.gpg, /b.gpg\n",
            List.of(
                entry(
                    List.of("deb", "deb-src"),
                    List.of(DEBIAN, "http://other.example.org/debian"),
                    List.of("bookworm", "bookworm-updates"),
                    List.of("main", "contrib"),
                    options(
                        "arch",
                        List.of("amd64", "arm64"),
                        "arch+",
                        List.of("i386"),
                        "signed-by",
                        List.of("/a.gpg", "/b.gpg")),
                    1))),
        Arguments.of(
            "Enabled: no is skipped, extra blank lines and CRLF",
            "Types: deb\r\nURIs: "
                + DEBIAN
                + "\r\nSuites: bookworm\r\nComponents: main\r\n"
                + "\n\n\n"
                + "Types: deb\nURIs: http://off.example.org/debian\nSuites: bookworm\n"
                + "Components: main\nEnabled: no\n"
                + "\n"
                + "Enabled: yes\nTypes: deb-src\nURIs: "
                + DEBIAN
                + "\nSuites: bookworm\nComponents: main\n\n",
            List.of(
                entry(
                    List.of("deb"),
                    List.of(DEBIAN),
                    List.of("bookworm"),
                    List.of("main"),
                    Map.of(),
                    1),
                entry(
                    List.of("deb-src"),
                    List.of(DEBIAN),
                    List.of("bookworm"),
                    List.of("main"),
                    Map.of(),
                    14))),
        Arguments.of(
            "field names in any case, exact path without components",
            "types: deb\nuris: http://repo.example.org/flat\nSUITES: ./\n",
            List.of(
                entry(
                    List.of("deb"),
                    List.of("http://repo.example.org/flat"),
                    List.of("./"),
                    List.of(),
                    Map.of(),
                    1))),
        Arguments.of(
            "embedded key and unknown fields",
            "X-Repolib-Name: Debian Stable\n"
                + "Types: deb\nURIs: "
                + DEBIAN
                + "\nSuites: bookworm\nComponents: main\n"
                + "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n"
                + " mDMEYCQjIxYJKwYBBAHaRw8BAQdA\n =IE0r\n -----END PGP PUBLIC KEY BLOCK-----\n"
                + "trusted: yes\n",
            List.of(
                entry(
                    List.of("deb"),
                    List.of(DEBIAN),
                    List.of("bookworm"),
                    List.of("main"),
                    options(
                        "X-Repolib-Name",
                        List.of("Debian Stable"),
                        "signed-by",
                        List.of(KEY),
                        "trusted",
                        List.of("yes")),
                    1))),
        Arguments.of("only comments", "# Types: deb\n#URIs: " + DEBIAN + "\n\n", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsed")
  void parses(String name, String text, List<SourceEntry> expected) throws Exception {
    assertThat(Deb822Sources.parse(text, FILE)).isEqualTo(expected);
  }

  static Stream<Arguments> rejected() {
    String uri = "URIs: " + DEBIAN + "\n";
    return Stream.of(
        Arguments.of("Types: deb\n" + uri + "Suites: bookworm\n", "1: missing field Components"),
        Arguments.of("\nTypes: deb\nSuites: bookworm\nComponents: main\n", "2: missing field URIs"),
        Arguments.of(uri + "Suites: bookworm\nComponents: main\n", "1: missing field Types"),
        Arguments.of("Types: deb\n" + uri + "Components: main\n", "1: missing field Suites"),
        Arguments.of(
            "Types: rpm\n" + uri + "Suites: bookworm\nComponents: main\n",
            "1: unknown type 'rpm' (expected deb or deb-src)"),
        Arguments.of(
            "Types: deb\n" + uri + "Suites: ./\nComponents: main\n",
            "1: suites ending in / are exact paths and take no Components"),
        Arguments.of("Types deb\n", "1: expected 'Field: value', got 'Types deb'"),
        Arguments.of(" continued\nTypes: deb\n", "1: continuation line outside a field"),
        Arguments.of("Types: deb\nTypes: deb-src\n", "2: field Types given twice"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rejected")
  void rejectsWhatAptRejects(String text, String message) {
    assertThatThrownBy(() -> Deb822Sources.parse(text, FILE))
        .isInstanceOf(SourcesSyntaxException.class)
        .hasMessage(FILE + ":" + message);
  }

  @Test
  void formatsStanzasSeparatedByEmptyLines() {
    SourceEntry first =
        new SourceEntry(
            List.of("deb", "deb-src"),
            List.of("http://wheelhouse:8080/apt/debian"),
            List.of("bookworm", "bookworm-updates"),
            List.of("main"),
            options("arch+", List.of("arm64"), "signed-by", List.of("/a.gpg", "/b.gpg")),
            null);
    SourceEntry flat =
        new SourceEntry(
            List.of("deb"),
            List.of("http://wheelhouse:8080/apt/flat"),
            List.of("./"),
            List.of(),
            options("trusted", List.of("yes")),
            null);

    assertThat(Deb822Sources.format(List.of(first, flat)))
        .isEqualTo(
            """
            Types: deb deb-src
            URIs: http://wheelhouse:8080/apt/debian
            Suites: bookworm bookworm-updates
            Components: main
            Architectures-Add: arm64
            Signed-By: /a.gpg,/b.gpg

            Types: deb
            URIs: http://wheelhouse:8080/apt/flat
            Suites: ./
            Trusted: yes
            """);
  }

  @Test
  void anEmbeddedKeyIsWrittenBackAsItWasRead() throws Exception {
    String text =
        "Types: deb\nURIs: "
            + DEBIAN
            + "\nSuites: bookworm\nComponents: main\n"
            + "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n"
            + " mDMEYCQjIxYJKwYBBAHaRw8BAQdA\n =IE0r\n -----END PGP PUBLIC KEY BLOCK-----\n";

    assertThat(Deb822Sources.format(Deb822Sources.parse(text, FILE))).isEqualTo(text);
  }

  @Test
  void compactMergesTypesThenSuites() throws Exception {
    List<SourceEntry> lines =
        OneLineSources.parse(
            "deb "
                + DEBIAN
                + " bookworm main\n"
                + "deb-src "
                + DEBIAN
                + " bookworm main\n"
                + "deb "
                + DEBIAN
                + " bookworm-updates main\n"
                + "deb-src "
                + DEBIAN
                + " bookworm-updates main\n"
                + "deb [arch=amd64] "
                + DEBIAN
                + " bookworm-backports main\n"
                + "deb "
                + SECURITY
                + " bookworm-security main\n",
            "/etc/apt/sources.list");

    assertThat(Deb822Sources.format(Deb822Sources.compact(lines)))
        .isEqualTo(
            """
            Types: deb deb-src
            URIs: http://mirror.example.org/debian
            Suites: bookworm bookworm-updates
            Components: main

            Types: deb
            URIs: http://mirror.example.org/debian
            Suites: bookworm-backports
            Components: main
            Architectures: amd64

            Types: deb
            URIs: http://security.example.org/debian-security
            Suites: bookworm-security
            Components: main
            """);
  }

  private static SourceEntry entry(
      List<String> types,
      List<String> uris,
      List<String> suites,
      List<String> components,
      Map<String, List<String>> options,
      int line) {
    return new SourceEntry(types, uris, suites, components, options, FILE + ":" + line);
  }
}
