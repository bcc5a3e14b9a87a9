package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CoreMetadataTest {

  private static final String REQUESTS_METADATA =
      """
      Metadata-Version: 2.1
      Name: requests
      Version: 2.31.0
      Summary: Python HTTP for Humans.
      Home-page: https://requests.readthedocs.io
      Author: Kenneth Reitz
      License: Apache 2.0
      Project-URL: Documentation, https://requests.readthedocs.io
      Project-URL: Source, https://github.com/psf/requests
      Classifier: Development Status :: 5 - Production/Stable
      Classifier: Programming Language :: Python :: 3
      Classifier: Programming Language :: Python :: 3.8
      Requires-Python: >=3.8
      Description-Content-Type: text/markdown
      License-File: LICENSE
      Requires-Dist: charset-normalizer (<4,>=2)
      Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'
      Provides-Extra: socks

      # Requests

      **Requests** is a simple, yet elegant, HTTP library.

      ```python
      >>> import requests
      ```
      """;

  @Test
  void parsesRealisticMetadata() {
    CoreMetadata metadata = CoreMetadata.parse(REQUESTS_METADATA.getBytes(StandardCharsets.UTF_8));

    assertThat(metadata.metadataVersion()).isEqualTo("2.1");
    assertThat(metadata.name()).isEqualTo("requests");
    assertThat(metadata.version()).isEqualTo("2.31.0");
    assertThat(metadata.summary()).contains("Python HTTP for Humans.");
    assertThat(metadata.requiresPython()).contains(">=3.8");
    assertThat(metadata.requiresDist())
        .containsExactly(
            "charset-normalizer (<4,>=2)", "PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'");
    assertThat(metadata.get("Classifier"))
        .containsExactly(
            "Development Status :: 5 - Production/Stable",
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: 3.8");
    assertThat(metadata.first("description-content-type")).contains("text/markdown");
    assertThat(metadata.fields().keySet())
        .containsExactly(
            "metadata-version",
            "name",
            "version",
            "summary",
            "home-page",
            "author",
            "license",
            "project-url",
            "classifier",
            "requires-python",
            "description-content-type",
            "license-file",
            "requires-dist",
            "provides-extra");
    assertThat(metadata.body())
        .contains(
            """
            # Requests

            **Requests** is a simple, yet elegant, HTTP library.

            ```python
            >>> import requests
            ```
            """);
    assertThat(metadata.description()).isEqualTo(metadata.body());
    assertThat(metadata.project()).isEqualTo(ProjectName.of("requests"));
    assertThat(metadata.parsedVersion()).isEqualTo(Version.parse("2.31.0"));
  }

  @ParameterizedTest
  @CsvSource({
    "Requires-Dist, 2",
    "requires-dist, 2",
    "REQUIRES-DIST, 2",
    "Classifier, 3",
    "Obsoletes-Dist, 0",
  })
  void looksUpFieldsCaseInsensitively(String field, int count) {
    CoreMetadata metadata = CoreMetadata.parse(REQUESTS_METADATA);

    assertThat(metadata.get(field)).hasSize(count);
    assertThat(metadata.first(field).isPresent()).isEqualTo(count > 0);
  }

  @Test
  void unfoldsContinuationLines() {
    // Tab and the "7 spaces and |" prefix come from the spec; 8 spaces is what setuptools writes.
    String text =
        """
        Metadata-Version: 1.2
        Name: legacy
        Version: 0.1
        Description: First line
                second line
                       indented by seven
               \s
               |pipe line
               |    pipe indented
        \tafter tab
        License: MIT
          and more
        """;

    CoreMetadata metadata = CoreMetadata.parse(text);

    assertThat(metadata.first("Description"))
        .contains(
            "First line\nsecond line\n       indented by seven\n\npipe line\n    pipe indented\n"
                + "after tab");
    assertThat(metadata.first("license")).contains("MIT\nand more");
    assertThat(metadata.body()).isEmpty();
    assertThat(metadata.description()).isEqualTo(metadata.first("description"));
  }

  @Test
  void acceptsCrLfLineEndingsAndByteOrderMark() {
    String text = "\uFEFFMetadata-Version: 2.1\r\nName: crlf\r\nVersion: 1.0\r\n\r\nBody\r\n";

    CoreMetadata metadata = CoreMetadata.parse(text.getBytes(StandardCharsets.UTF_8));

    assertThat(metadata.name()).isEqualTo("crlf");
    assertThat(metadata.version()).isEqualTo("1.0");
    assertThat(metadata.body()).contains("Body\r\n");
  }

  @Test
  void keepsValuesVerbatim() {
    CoreMetadata metadata =
        CoreMetadata.parse(
            "Metadata-Version: 2.3\nName:Legacy_Name\nVersion:  1.0-1  \nSummary: a: b\n");

    assertThat(metadata.name()).isEqualTo("Legacy_Name");
    assertThat(metadata.version()).isEqualTo("1.0-1");
    assertThat(metadata.summary()).contains("a: b");
    assertThat(metadata.project().value()).isEqualTo("legacy-name");
    assertThat(metadata.parsedVersion().normalized()).isEqualTo("1.0.post1");
    assertThat(metadata.requiresPython()).isEmpty();
    assertThat(metadata.requiresDist()).isEmpty();
    assertThat(metadata.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Metadata-Version: 2.1\nVersion: 1.0\n",
        "Metadata-Version: 2.1\nName: \nVersion: 1.0\n",
        "Metadata-Version: 2.1\nName: foo\n",
        "Name: foo\nVersion: 1.0\n",
        "Metadata-Version: 2.1\n\nName: foo\nVersion: 1.0\n",
        "",
      })
  void rejectsMissingRequiredFields(String text) {
    assertThatThrownBy(() -> CoreMetadata.parse(text))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid metadata: missing ");
  }

  @Test
  void namesTheMissingField() {
    assertThatThrownBy(() -> CoreMetadata.parse("Metadata-Version: 2.1\nVersion: 1.0\n"))
        .hasMessage("invalid metadata: missing Name field");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "' continued\nName: foo\nVersion: 1.0\n'| line 1: continuation line without a preceding",
        "'Metadata-Version: 2.1\nName foo\nVersion: 1.0\n'| line 2: expected 'Field: value'",
        "'Metadata-Version: 2.1\n: foo\n'| line 2: expected 'Field: value'",
        "'Metadata-Version: 2.1\nNa me: foo\n'| line 2: invalid field name 'Na me'",
      })
  void rejectsBrokenHeaderSyntax(String text, String reason) {
    assertThatThrownBy(() -> CoreMetadata.parse(text.replace("\\n", "\n")))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid metadata: " + reason);
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] bytes = {'N', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'};

    assertThatThrownBy(() -> CoreMetadata.parse(bytes))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessage("invalid metadata: not valid UTF-8");
  }

  @Test
  void decodesNonAsciiUtf8() {
    String text = "Metadata-Version: 2.1\nName: cafe\nVersion: 1.0\nAuthor: Zoë Ünal\n";

    CoreMetadata metadata = CoreMetadata.parse(text.getBytes(StandardCharsets.UTF_8));

    assertThat(metadata.first("author")).contains("Zoë Ünal");
  }

  @Test
  void exposesUnmodifiableCollections() {
    CoreMetadata metadata = CoreMetadata.parse(REQUESTS_METADATA);

    assertThatThrownBy(() -> metadata.fields().put("x", java.util.List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> metadata.get("classifier").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
