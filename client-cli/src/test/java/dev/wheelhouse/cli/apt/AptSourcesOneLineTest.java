package dev.wheelhouse.cli.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one-line sources format ({@code sources.list}, {@code *.list}). */
class AptSourcesOneLineTest {
  private static final String FILE = "/etc/apt/sources.list";
  private static final String DEBIAN = "http://mirror.example.org/debian";

  static Stream<Arguments> parsed() {
    return Stream.of(
        Arguments.of(
            "plain",
            "deb " + DEBIAN + " bookworm main contrib\n",
            List.of(entry("deb", DEBIAN, "bookworm", List.of("main", "contrib"), Map.of(), 1))),
        Arguments.of(
            "options",
            "deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] " + DEBIAN + " bookworm main\n",
            List.of(
                entry(
                    "deb",
                    DEBIAN,
                    "bookworm",
                    List.of("main"),
                    options(
                        "arch",
                        List.of("amd64"),
                        "signed-by",
                        List.of("/usr/share/keyrings/x.gpg")),
                    1))),
        Arguments.of(
            "spaced options, several values, += and unknown options",
            "deb [ arch=amd64,arm64 lang+=de Contents-deb=no ] " + DEBIAN + " bookworm main",
            List.of(
                entry(
                    "deb",
                    DEBIAN,
                    "bookworm",
                    List.of("main"),
                    options(
                        "arch",
                        List.of("amd64", "arm64"),
                        "lang+",
                        List.of("de"),
                        "Contents-deb",
                        List.of("no")),
                    1))),
        Arguments.of(
            "comments, blank lines, deb-src",
            "# the main archive\n\n   \n"
                + "deb "
                + DEBIAN
                + " bookworm main # trailing comment\n"
                + "#deb "
                + DEBIAN
                + " bookworm-backports main\n"
                + "deb-src "
                + DEBIAN
                + " bookworm main\n",
            List.of(
                entry("deb", DEBIAN, "bookworm", List.of("main"), Map.of(), 4),
                entry("deb-src", DEBIAN, "bookworm", List.of("main"), Map.of(), 6))),
        Arguments.of(
            "# inside the options is no comment",
            "deb [signed-by=/k#1.gpg] " + DEBIAN + " bookworm main",
            List.of(
                entry(
                    "deb",
                    DEBIAN,
                    "bookworm",
                    List.of("main"),
                    options("signed-by", List.of("/k#1.gpg")),
                    1))),
        Arguments.of(
            "exact path suite, tabs, CRLF",
            "deb\thttp://repo.example.org/flat\t./\r\n",
            List.of(entry("deb", "http://repo.example.org/flat", "./", List.of(), Map.of(), 1))),
        Arguments.of(
            "cdrom URI with spaces in brackets",
            "deb cdrom:[Debian GNU/Linux 12 _Bookworm_ - Official]/ bookworm main\n",
            List.of(
                entry(
                    "deb",
                    "cdrom:[Debian GNU/Linux 12 _Bookworm_ - Official]/",
                    "bookworm",
                    List.of("main"),
                    Map.of(),
                    1))),
        Arguments.of("only comments", "# nothing\n#deb " + DEBIAN + " bookworm main\n", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsed")
  void parses(String name, String text, List<SourceEntry> expected) throws Exception {
    assertThat(OneLineSources.parse(text, FILE)).isEqualTo(expected);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("deb", "1: expected TYPE URI SUITE [COMPONENT...]"),
        Arguments.of("deb " + DEBIAN, "1: missing suite"),
        Arguments.of("\ndeb " + DEBIAN + " bookworm", "2: missing component after suite bookworm"),
        Arguments.of(
            "rpm " + DEBIAN + " bookworm main", "1: unknown type 'rpm' (expected deb or deb-src)"),
        Arguments.of(
            "deb [arch=amd64 " + DEBIAN + " bookworm main", "1: [options] without a closing ]"),
        Arguments.of(
            "deb [arch] " + DEBIAN + " bookworm main", "1: option 'arch' is not NAME=VALUE"),
        Arguments.of(
            "deb [arch=] " + DEBIAN + " bookworm main", "1: option 'arch=' is not NAME=VALUE"),
        Arguments.of(
            "deb " + DEBIAN + " ./ main",
            "1: suite './' is an exact path and takes no components"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWhatAptRejects(String text, String message) {
    assertThatThrownBy(() -> OneLineSources.parse(text, FILE))
        .isInstanceOf(SourcesSyntaxException.class)
        .hasMessage(FILE + ":" + message);
  }

  @Test
  void formatsOneLinePerTypeUriAndSuite() {
    SourceEntry entry =
        new SourceEntry(
            List.of("deb", "deb-src"),
            List.of("http://wheelhouse:8080/apt/debian"),
            List.of("bookworm", "bookworm-updates"),
            List.of("main", "contrib"),
            options(
                "arch",
                List.of("amd64", "arm64"),
                "signed-by",
                List.of("/a.gpg", "/b.gpg"),
                "X-Repolib-Name",
                List.of("Debian Stable")),
            null);

    assertThat(OneLineSources.format(List.of(entry)))
        .isEqualTo(
            """
            deb [arch=amd64,arm64 signed-by=/a.gpg,/b.gpg] http://wheelhouse:8080/apt/debian bookworm main contrib
            deb [arch=amd64,arm64 signed-by=/a.gpg,/b.gpg] http://wheelhouse:8080/apt/debian bookworm-updates main contrib
            deb-src [arch=amd64,arm64 signed-by=/a.gpg,/b.gpg] http://wheelhouse:8080/apt/debian bookworm main contrib
            deb-src [arch=amd64,arm64 signed-by=/a.gpg,/b.gpg] http://wheelhouse:8080/apt/debian bookworm-updates main contrib
            """);
  }

  @Test
  void anEmbeddedKeyHasNoOneLineForm() {
    SourceEntry entry =
        new SourceEntry(
            List.of("deb"),
            List.of("http://wheelhouse:8080/apt/debian"),
            List.of("bookworm"),
            List.of("main"),
            options(
                "signed-by",
                List.of(
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n-----END PGP PUBLIC KEY BLOCK-----")),
            null);

    assertThatThrownBy(() -> OneLineSources.format(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the one-line format cannot express Signed-By with an embedded key");
  }

  @Test
  void formattedLinesParseBackToTheSameSources() throws Exception {
    String text =
        "deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] "
            + DEBIAN
            + " bookworm main contrib\n"
            + "deb-src "
            + DEBIAN
            + " bookworm main\n";

    List<SourceEntry> entries = OneLineSources.parse(text, FILE);

    assertThat(OneLineSources.format(entries)).isEqualTo(text);
  }

  static SourceEntry entry(
      String type,
      String uri,
      String suite,
      List<String> components,
      Map<String, List<String>> options,
      int line) {
    return new SourceEntry(
        List.of(type), List.of(uri), List.of(suite), components, options, FILE + ":" + line);
  }

  /** An ordered map of options from key, values pairs. */
  @SuppressWarnings("unchecked") // The pairs alternate String keys and List<String> values.
  static Map<String, List<String>> options(Object... pairs) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      options.put((String) pairs[i], (List<String>) pairs[i + 1]);
    }
    return options;
  }
}
