package dev.wheelhouse.server.proxy.upstream;

import static dev.wheelhouse.server.proxy.upstream.TestPages.file;
import static dev.wheelhouse.server.proxy.upstream.TestPages.filenames;
import static dev.wheelhouse.server.proxy.upstream.TestPages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PEP 691 pages: a PyPI-style fixture, then one table per file field and per page-level failure.
 */
class JsonPageTest {
  static final URI PAGE = URI.create("https://pypi.org/simple/attrs/");
  static final URI PAGE_URL = URI.create("https://upstream.example/simple/demo/");
  static final String HASH = "ce8194c180894e5acac579f04d8e546712d53a3e94ced1f1f71bcf8bc375a7a6";
  static UpstreamProject attrs;

  @BeforeAll
  static void parseFixture() throws UpstreamFormatException {
    attrs = UpstreamPageParser.parseJson(TestPages.resource("pypi-attrs.json"), PAGE);
  }

  @Test
  void keepsDistributionsInPageOrderAndSkipsEggsAndInstallers() {
    assertThat(attrs.name()).isEqualTo("attrs");
    assertThat(filenames(attrs))
        .containsExactly(
            "attrs-21.4.0-py2.py3-none-any.whl",
            "attrs-21.4.0.tar.gz",
            "attrs-22.2.0-py3-none-any.whl",
            "attrs-23.1.0-py3-none-any.whl",
            "attrs-23.1.0.tar.gz",
            "attrs-23.2.0-py3-none-any.whl",
            "attrs-24.2.0-py3-none-any.whl",
            "attrs-24.2.0.tar.gz",
            "attrs-25.1.0-py3-none-any.whl");
  }

  @Test
  void readsEveryFieldOfAPyPiEntry() {
    assertThat(file(attrs, "attrs-21.4.0-py2.py3-none-any.whl"))
        .isEqualTo(
            new UpstreamFile(
                "attrs-21.4.0-py2.py3-none-any.whl",
                URI.create(
                    "https://files.pythonhosted.org/packages/55/b9/46b73d4b2ef07f8e8e35868318c3976f2e49646e71a91bfe66a23f40b75d/attrs-21.4.0-py2.py3-none-any.whl"),
                Optional.of("81daabc107327380ea1ac9c1669fc440ce18bae73abb9c9c72d23391ec86be83"),
                Optional.of(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*"),
                Optional.empty(),
                Optional.empty(),
                OptionalLong.of(60567),
                Optional.of(Instant.parse("2021-12-29T13:15:06.279592Z"))));
  }

  @ParameterizedTest(name = "{0}: yanked={1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "attrs-21.4.0-py2.py3-none-any.whl, -",
        "attrs-21.4.0.tar.gz, ''",
        "attrs-22.2.0-py3-none-any.whl, 'Broken metadata, use 22.2.1'",
      })
  void fixtureYanked(String filename, String reason) {
    assertThat(file(attrs, filename).yanked()).isEqualTo(Optional.ofNullable(reason));
  }

  @ParameterizedTest(name = "{0}: core metadata {1}, sha256 {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "attrs-21.4.0-py2.py3-none-any.whl, false, -",
        "attrs-23.1.0-py3-none-any.whl, true,"
            + " eec31e9813da54bd74e5efed52907d24ae289c6d3f792a4c6e08ba48142859f8",
        // Only the legacy dist-info-metadata key, with an uppercase digest.
        "attrs-23.2.0-py3-none-any.whl, true,"
            + " b7309497422158704f30e298b47903e3057be5f6ef9cec33535781e59119610b",
        "attrs-24.2.0-py3-none-any.whl, true, -",
      })
  void fixtureCoreMetadata(String filename, boolean present, String sha256) {
    Optional<CoreMetadataRef> expected =
        present ? Optional.of(new CoreMetadataRef(Optional.ofNullable(sha256))) : Optional.empty();
    assertThat(file(attrs, filename).coreMetadata()).isEqualTo(expected);
  }

  @Test
  void fixtureOddsAndEnds() {
    // Only md5 and blake2b: no sha256, the proxy computes it.
    assertThat(file(attrs, "attrs-24.2.0.tar.gz").sha256()).isEmpty();
    assertThat(file(attrs, "attrs-24.2.0.tar.gz").uploadTime())
        .contains(Instant.parse("2024-08-06T14:37:38.364Z"));
    // A relative url resolves against the page; unknown keys are ignored.
    assertThat(file(attrs, "attrs-25.1.0-py3-none-any.whl").url())
        .hasToString(
            "https://pypi.org/packages/a6/8f/4ebf3d6a23f3aece98082694dda97feec3887af8cdca247d1ff505885f07/attrs-25.1.0-py3-none-any.whl");
    assertThat(file(attrs, "attrs-23.1.0-py3-none-any.whl").uploadTime())
        .contains(Instant.parse("2023-04-16T10:15:35.310836Z"));
  }

  static Stream<Arguments> entryFields() {
    return Stream.of(
        // name, extra JSON keys, the field read, expected
        field("yanked true", "\"yanked\": true", UpstreamFile::yanked, Optional.of("")),
        field(
            "yanked reason",
            "\"yanked\": \"bad build\"",
            UpstreamFile::yanked,
            Optional.of("bad build")),
        field("yanked false", "\"yanked\": false", UpstreamFile::yanked, Optional.empty()),
        field("yanked null", "\"yanked\": null", UpstreamFile::yanked, Optional.empty()),
        field("yanked absent", "", UpstreamFile::yanked, Optional.empty()),
        field("yanked number", "\"yanked\": 1", UpstreamFile::yanked, Optional.empty()),
        field(
            "core-metadata true",
            "\"core-metadata\": true",
            UpstreamFile::coreMetadata,
            metadata(null)),
        field(
            "core-metadata false",
            "\"core-metadata\": false",
            UpstreamFile::coreMetadata,
            Optional.empty()),
        field(
            "core-metadata sha256",
            "\"core-metadata\": {\"sha256\": \"" + HASH.toUpperCase(Locale.ROOT) + "\"}",
            UpstreamFile::coreMetadata,
            metadata(HASH)),
        field(
            "core-metadata other hash",
            "\"core-metadata\": {\"sha512\": \"abc\"}",
            UpstreamFile::coreMetadata,
            metadata(null)),
        field(
            "core-metadata malformed sha256",
            "\"core-metadata\": {\"sha256\": \"not-hex\"}",
            UpstreamFile::coreMetadata,
            metadata(null)),
        field(
            "legacy dist-info-metadata",
            "\"dist-info-metadata\": {\"sha256\": \"" + HASH + "\"}",
            UpstreamFile::coreMetadata,
            metadata(HASH)),
        field(
            "core-metadata false wins over legacy",
            "\"core-metadata\": false, \"dist-info-metadata\": true",
            UpstreamFile::coreMetadata,
            Optional.empty()),
        field("size", "\"size\": 5368709120", UpstreamFile::size, OptionalLong.of(5_368_709_120L)),
        field("size negative", "\"size\": -1", UpstreamFile::size, OptionalLong.empty()),
        field("size fraction", "\"size\": 1.5", UpstreamFile::size, OptionalLong.empty()),
        field("size string", "\"size\": \"12\"", UpstreamFile::size, OptionalLong.empty()),
        field(
            "upload-time microseconds",
            "\"upload-time\": \"2023-06-01T12:34:56.123456Z\"",
            UpstreamFile::uploadTime,
            Optional.of(Instant.parse("2023-06-01T12:34:56.123456Z"))),
        field(
            "upload-time offset",
            "\"upload-time\": \"2023-06-01T14:34:56+02:00\"",
            UpstreamFile::uploadTime,
            Optional.of(Instant.parse("2023-06-01T12:34:56Z"))),
        field(
            "upload-time garbage",
            "\"upload-time\": \"yesterday\"",
            UpstreamFile::uploadTime,
            Optional.empty()),
        field(
            "requires-python",
            "\"requires-python\": \">=3.8,<4\"",
            UpstreamFile::requiresPython,
            Optional.of(">=3.8,<4")),
        field(
            "requires-python empty",
            "\"requires-python\": \"\"",
            UpstreamFile::requiresPython,
            Optional.empty()),
        field(
            "requires-python null",
            "\"requires-python\": null",
            UpstreamFile::requiresPython,
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entryFields")
  void readsEntryField(
      String name, String extraKeys, Function<UpstreamFile, Object> field, Object expected)
      throws UpstreamFormatException {
    UpstreamFile file =
        single(
            "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"/files/demo-1.0.tar.gz\","
                + " \"hashes\": {\"sha256\": \""
                + HASH
                + "\"}"
                + (extraKeys.isEmpty() ? "" : ", " + extraKeys)
                + "}");
    assertThat(field.apply(file)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "hashes {0} -> {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "'{\"sha256\": \"" + HASH + "\"}', " + HASH,
        "'{\"sha256\": \"CE8194C180894E5ACAC579F04D8E546712D53A3E94CED1F1F71BCF8BC375A7A6\"}', "
            + HASH,
        "'{\"sha256\": \"ce8194\"}', -",
        "'{\"md5\": \"9dd4e461268c8034f5c8564e155c67a6\"}', -",
        "'{}', -",
        "'[]', -",
      })
  void readsSha256(String hashes, String expected) throws UpstreamFormatException {
    UpstreamFile file =
        single(
            "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"/files/demo-1.0.tar.gz\", \"hashes\": "
                + hashes
                + "}");
    assertThat(file.sha256()).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void fallsBackToUrlFragmentForSha256AndDropsTheFragment() throws UpstreamFormatException {
    UpstreamFile file =
        single(
            "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"demo-1.0.tar.gz#sha256="
                + HASH
                + "\", \"hashes\": {}}");
    assertThat(file.sha256()).contains(HASH);
    assertThat(file.url()).hasToString("https://upstream.example/simple/demo/demo-1.0.tar.gz");
  }

  @Test
  void usesTheFilenameKeyNotTheUrl() throws UpstreamFormatException {
    UpstreamFile file =
        single(
            "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"/download?id=123\", \"hashes\": {}}");
    assertThat(file.filename()).isEqualTo("demo-1.0.tar.gz");
    assertThat(file.url()).hasToString("https://upstream.example/download?id=123");
  }

  @Test
  void skipsMalformedEntriesButKeepsTheRest() throws UpstreamFormatException {
    UpstreamProject project =
        UpstreamPageParser.parseJson(
            page(
                "\"files\": ["
                    + "\"demo-0.1.tar.gz\","
                    + "{\"url\": \"/f/demo-0.2.tar.gz\", \"hashes\": {}},"
                    + "{\"filename\": \"demo-0.3.tar.gz\", \"hashes\": {}},"
                    + "{\"filename\": \"demo-0.4.tar.gz\", \"url\": 4, \"hashes\": {}},"
                    + "{\"filename\": \"demo-0.5.tar.gz\", \"url\": \"file:///etc/passwd\"},"
                    + "{\"filename\": \"../demo-0.6.tar.gz\", \"url\": \"/f/x\", \"hashes\": {}},"
                    + "{\"filename\": \"other-1.0.tar.gz\", \"url\": \"/f/other-1.0.tar.gz\"},"
                    + "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"/f/demo-1.0.tar.gz\"}"
                    + "]"),
            PAGE_URL);
    assertThat(filenames(project)).containsExactly("demo-1.0.tar.gz");
  }

  @Test
  void acceptsAnyMinorVersionAndIgnoresUnknownKeys() throws UpstreamFormatException {
    byte[] body =
        utf8(
            "{\"meta\": {\"api-version\": \"1.42\", \"_last-serial\": 1}, \"name\": \"Demo\","
                + " \"versions\": [], \"files\": [], \"project-status\": {\"status\": \"active\"}}");
    assertThat(UpstreamPageParser.parseJson(body, PAGE_URL))
        .isEqualTo(new UpstreamProject("Demo", List.of()));
  }

  @Test
  void requestedNameInAnotherSpellingIsTheSameProject() throws UpstreamFormatException {
    byte[] body =
        utf8(
            "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"Demo_Pkg\", \"files\": ["
                + "{\"filename\": \"demo_pkg-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"hashes\": {}}]}");
    UpstreamProject project =
        UpstreamPageParser.parse(body, "application/vnd.pypi.simple.v1+json", PAGE_URL, "demo.pkg");
    assertThat(project.name()).isEqualTo("Demo_Pkg");
    assertThat(filenames(project)).containsExactly("demo_pkg-1.0-py3-none-any.whl");
  }

  @Test
  void rejectsAPageForAnotherProject() {
    assertThatThrownBy(
            () ->
                UpstreamPageParser.parse(
                    page("\"files\": []"), "application/json", PAGE_URL, "requests"))
        .isInstanceOf(UpstreamFormatException.class)
        .hasMessage("page is for project 'demo', not 'requests'");
  }

  @Test
  void usesTheRequestedNameWhenThePageHasNone() throws UpstreamFormatException {
    byte[] body = utf8("{\"meta\": {\"api-version\": \"1.0\"}, \"files\": []}");
    assertThat(UpstreamPageParser.parse(body, "application/json", PAGE_URL, "Demo").name())
        .isEqualTo("Demo");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty body | '' | not valid JSON: the body is empty",
        "whitespace | '  \n' | not valid JSON: the body is empty",
        "truncated | '{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"demo\", \"files\": [' |"
            + " not valid JSON at line 1",
        "not JSON | '<!DOCTYPE html><a href=\"demo-1.0.tar.gz\">' | not valid JSON at line 1, column"
            + " 1: 'Unexpected character",
        "array | '[]' | not a PEP 691 page: the JSON is not an object",
        "trailing garbage | '{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"demo\", \"files\":"
            + " []} {' | not valid JSON",
        "no meta | '{\"name\": \"demo\", \"files\": []}' | not a PEP 691 page: meta.api-version is"
            + " missing",
        "numeric api-version | '{\"meta\": {\"api-version\": 1.0}, \"name\": \"demo\", \"files\":"
            + " []}' | not a PEP 691 page: meta.api-version is missing",
        "api-version 2.0 | '{\"meta\": {\"api-version\": \"2.0\"}, \"name\": \"demo\", \"files\":"
            + " []}' | unsupported simple API version '2.0' in meta.api-version: only 1.x is"
            + " supported",
        "api-version 0.9 | '{\"meta\": {\"api-version\": \"0.9\"}, \"name\": \"demo\", \"files\":"
            + " []}' | unsupported simple API version '0.9'",
        "no files | '{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"demo\"}' | not a PEP 691"
            + " project page: files is not an array",
        "files object | '{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"demo\", \"files\": {}}'"
            + " | not a PEP 691 project page: files is not an array",
        "no name | '{\"meta\": {\"api-version\": \"1.0\"}, \"files\": []}' | not a PEP 691 page:"
            + " name is missing",
        "invalid name | '{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"../x\", \"files\": []}'"
            + " | invalid project name '../x' in PEP 691 page",
      })
  void rejectsUnreadablePages(String description, String body, String message) {
    assertThatThrownBy(() -> UpstreamPageParser.parseJson(utf8(body), PAGE_URL))
        .isInstanceOf(UpstreamFormatException.class)
        .hasMessageStartingWith(message)
        .hasMessageNotContaining("\n");
  }

  static byte[] page(String filesKey) {
    return utf8("{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"demo\", " + filesKey + "}");
  }

  static UpstreamFile single(String entry) throws UpstreamFormatException {
    UpstreamProject project =
        UpstreamPageParser.parseJson(page("\"files\": [" + entry + "]"), PAGE_URL);
    assertThat(project.files()).hasSize(1);
    return project.files().get(0);
  }

  static Optional<CoreMetadataRef> metadata(String sha256) {
    return Optional.of(new CoreMetadataRef(Optional.ofNullable(sha256)));
  }

  static Arguments field(
      String name, String extraKeys, Function<UpstreamFile, Object> field, Object expected) {
    return Arguments.of(name, extraKeys, field, expected);
  }
}
