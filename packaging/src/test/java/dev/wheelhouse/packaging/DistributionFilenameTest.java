package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DistributionFilenameTest {

  @ParameterizedTest
  @CsvSource({
    "six-1.16.0-py2.py3-none-any.whl, WheelFilename, six, 1.16.0",
    "foo-bar-1.0.tar.gz, SdistFilename, foo-bar, 1.0",
    "foo_bar-2.0.zip, SdistFilename, foo-bar, 2.0",
  })
  void dispatchesOnExtension(String filename, String type, String project, String version) {
    DistributionFilename parsed = DistributionFilename.parse(filename);

    assertThat(parsed.getClass().getSimpleName()).isEqualTo(type);
    assertThat(parsed.filename()).isEqualTo(filename);
    assertThat(parsed.project().value()).isEqualTo(project);
    assertThat(parsed.version().normalized()).isEqualTo(version);
  }

  static Stream<String> unsafeNames() {
    return Stream.of(
        "",
        ".hidden-1.0.tar.gz",
        "..",
        "a/b-1.0.tar.gz",
        "a\\b-1.0.tar.gz",
        "a\0b-1.0.tar.gz",
        "a\u007fb-1.0.tar.gz",
        "a\u0085b-1.0.tar.gz",
        "a\tb-1.0.tar.gz",
        "a b-1.0.tar.gz",
        "a\u00a0b-1.0.tar.gz",
        "a\u2028b-1.0.tar.gz");
  }

  @ParameterizedTest
  @MethodSource("unsafeNames")
  void rejectsNamesThatAreNotASinglePathSegment(String filename) {
    assertThatThrownBy(() -> DistributionFilename.requireSafe(filename))
        .isInstanceOf(InvalidFilenameException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\0", "\t", "\u007f"));
    assertThatThrownBy(() -> DistributionFilename.parse(filename))
        .isInstanceOf(InvalidFilenameException.class);
  }
}
