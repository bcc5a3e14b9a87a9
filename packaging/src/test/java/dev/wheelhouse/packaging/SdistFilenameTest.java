package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SdistFilenameTest {

  @ParameterizedTest
  @CsvSource({
    // filename,                    distribution,     project,          version,    extension
    "foo-1.0.tar.gz,                foo,              foo,              1.0,        .tar.gz",
    "foo_bar-2.0.zip,               foo_bar,          foo-bar,          2.0,        .zip",
    "foo-bar-1.0.tar.gz,            foo-bar,          foo-bar,          1.0,        .tar.gz",
    "Django-5.0.1.tar.gz,           Django,           django,           5.0.1,      .tar.gz",
    "zope.interface-6.1.tar.gz,     zope.interface,   zope-interface,   6.1,        .tar.gz",
    "torch-2.1.0+cu121.tar.gz,      torch,            torch,            2.1.0+cu121, .tar.gz",
    "foo-1.0-beta.tar.gz,           foo,              foo,              1.0b0,      .tar.gz",
    "foo-1.0-1.tar.gz,              foo-1.0,          foo-1-0,          1,          .tar.gz",
    "py-1-2.3.zip,                  py-1,             py-1,             2.3,        .zip",
  })
  void parsesSdistFilenames(
      String filename, String distribution, String project, String version, String extension) {
    SdistFilename sdist = SdistFilename.parse(filename);

    assertThat(sdist.filename()).isEqualTo(filename);
    assertThat(sdist.distribution()).isEqualTo(distribution);
    assertThat(sdist.project()).isEqualTo(ProjectName.of(project));
    assertThat(sdist.version()).isEqualTo(Version.parse(version));
    assertThat(sdist.extension()).isEqualTo(extension);
    assertThat(DistributionFilename.parse(filename)).isEqualTo(sdist);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo.tar.gz",
        "foo-notaversion.tar.gz",
        "foo-.tar.gz",
        "-1.0.tar.gz",
        "foo--1.0.zip",
        "foo_-1.0.zip",
        "../foo-1.0.tar.gz",
        "foo-1.0.tar.gz/",
        "foo\u00001.0.tar.gz",
        "foo 1.0.tar.gz",
        ".tar.gz",
      })
  void rejectsInvalidSdistFilenames(String filename) {
    assertThatThrownBy(() -> SdistFilename.parse(filename))
        .isInstanceOf(InvalidFilenameException.class);
  }

  @Test
  void explainsMissingVersion() {
    assertThatThrownBy(() -> SdistFilename.parse("foo-notaversion.tar.gz"))
        .hasMessage(
            "invalid sdist file name 'foo-notaversion.tar.gz': "
                + "expected {name}-{version}.tar.gz with a PEP 440 version");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo-1.0.tar.bz2",
        "foo-1.0.tar",
        "foo-1.0.tgz",
        "foo-1.0.egg",
        "foo-1.0.exe",
        "foo-1.0.TAR.GZ",
        "README"
      })
  void rejectsUnsupportedFileTypes(String filename) {
    assertThatThrownBy(() -> DistributionFilename.parse(filename))
        .isInstanceOf(InvalidFilenameException.class)
        .hasMessageStartingWith("unsupported file type '" + filename + "'");
    assertThatThrownBy(() -> SdistFilename.parse(filename))
        .isInstanceOf(InvalidFilenameException.class)
        .hasMessageStartingWith("unsupported file type ");
  }
}
