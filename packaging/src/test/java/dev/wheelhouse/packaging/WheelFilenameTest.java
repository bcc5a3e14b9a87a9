package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WheelFilenameTest {

  @ParameterizedTest
  @CsvSource({
    // filename,                                            distribution,      project,
    // version,     build, tags,                         pure
    "distribution-1.0-1-py27-none-any.whl,                  distribution,      distribution,      1.0,         1,     py27-none-any,                true",
    "torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl,        torch,             torch,             2.1.0+cu121, '',    cp311-cp311-linux_x86_64,     false",
    "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, numpy, numpy,       1.26.4,      '',    cp312-cp312-manylinux_2_17_x86_64 cp312-cp312-manylinux2014_x86_64, false",
    "six-1.16.0-py2.py3-none-any.whl,                       six,               six,               1.16.0,      '',    py2-none-any py3-none-any,    true",
    "zope.interface-6.1-cp312-cp312-win_amd64.whl,          zope.interface,    zope-interface,    6.1,         '',    cp312-cp312-win_amd64,        false",
    "Typing_Extensions-4.9.0-py3-none-any.whl,              Typing_Extensions, typing-extensions, 4.9.0,       '',    py3-none-any,                 true",
    "pkg-1.0-2_abc-py3-none-any.whl,                        pkg,               pkg,               1.0,         2_abc, py3-none-any,                 true",
    "multi-1.0-cp38.cp39-abi3-macosx_11_0_arm64.macosx_10_9_x86_64.whl, multi, multi,             1.0,         '',    cp38-abi3-macosx_11_0_arm64 cp38-abi3-macosx_10_9_x86_64 cp39-abi3-macosx_11_0_arm64 cp39-abi3-macosx_10_9_x86_64, false",
  })
  void parsesWheelFilenames(
      String filename,
      String distribution,
      String project,
      String version,
      String build,
      String tags,
      boolean pure) {
    WheelFilename wheel = WheelFilename.parse(filename);

    assertThat(wheel.filename()).isEqualTo(filename);
    assertThat(wheel.distribution()).isEqualTo(distribution);
    assertThat(wheel.project()).isEqualTo(ProjectName.of(project));
    assertThat(wheel.version()).isEqualTo(Version.parse(version));
    assertThat(wheel.buildTag()).isEqualTo(build.isEmpty() ? Optional.empty() : Optional.of(build));
    assertThat(wheel.tags()).extracting(Tag::toString).containsExactly(tags.split(" ", -1));
    assertThat(wheel.isPlatformIndependent()).isEqualTo(pure);
    assertThat(DistributionFilename.parse(filename)).isEqualTo(wheel);
  }

  @Test
  void keepsCompressedTagSetsInOrder() {
    WheelFilename wheel =
        WheelFilename.parse(
            "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");

    assertThat(wheel.pythonTags()).containsExactly("cp312");
    assertThat(wheel.abiTags()).containsExactly("cp312");
    assertThat(wheel.platformTags())
        .containsExactly("manylinux_2_17_x86_64", "manylinux2014_x86_64");
    assertThat(wheel.tags())
        .containsExactly(
            new Tag("cp312", "cp312", "manylinux_2_17_x86_64"),
            new Tag("cp312", "cp312", "manylinux2014_x86_64"));
  }

  @Test
  void keepsLocalVersion() {
    WheelFilename wheel = WheelFilename.parse("torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl");

    assertThat(wheel.version().local()).contains("cu121");
    assertThat(wheel.version().publicVersion()).isEqualTo("2.1.0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".whl",
        "foo.whl",
        "foo-1.0.whl",
        "foo-1.0-py3.whl",
        "foo-1.0-py3-none.whl",
        "foo-1.0-py3-none-any",
        "foo-1.0-py3-none-any.WHL",
        "foo-1.0-abc-py3-none-any.whl",
        "foo-1.0-_1-py3-none-any.whl",
        "foo-1.0-1-2-py3-none-any.whl",
        "a-b-c-d-e-f-g-h.whl",
        "foo-notaversion-py3-none-any.whl",
        "foo-1.0_1-py3-none-any.whl",
        "foo-1.0-py3..py2-none-any.whl",
        "foo-1.0-py3.-none-any.whl",
        "foo-1.0--none-any.whl",
        "foo-1.0-py3-none-any+x.whl",
        "-1.0-py3-none-any.whl",
        "_foo-1.0-py3-none-any.whl",
        "foo_-1.0-py3-none-any.whl",
        "foo+bar-1.0-py3-none-any.whl",
        "../evil-1.0-py3-none-any.whl",
        "..\\evil-1.0-py3-none-any.whl",
        "evil/x-1.0-py3-none-any.whl",
        "foo\0-1.0-py3-none-any.whl",
        "foo-1.0-py3-none-any.whl\n",
        "foo- 1.0-py3-none-any.whl",
        ".foo-1.0-py3-none-any.whl",
        "",
      })
  void rejectsInvalidWheelFilenames(String filename) {
    assertThatThrownBy(() -> WheelFilename.parse(filename))
        .isInstanceOf(InvalidFilenameException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\0"));
  }

  @Test
  void explainsBadBuildTag() {
    assertThatThrownBy(() -> WheelFilename.parse("foo-1.0-abc-py3-none-any.whl"))
        .hasMessageContaining("build tag 'abc': must start with a digit");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> WheelFilename.parse(null))
        .isInstanceOf(InvalidFilenameException.class);
  }

  @Test
  void copiesTagListsDefensively() {
    WheelFilename wheel = WheelFilename.parse("six-1.16.0-py2.py3-none-any.whl");

    assertThatThrownBy(() -> wheel.pythonTags().add("py4"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(wheel.pythonTags()).isEqualTo(List.of("py2", "py3"));
  }
}
