package dev.wheelhouse.packaging.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.packaging.Tag;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.packaging.tags.Libc.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetEnvironmentTest {

  @ParameterizedTest
  @CsvSource({
    // platform,     python,  libc,           pythonVersion, full,    arch,    label
    "linux/amd64,    3.12,    2.36,           3.12,          3.12.0,  X86_64,  linux/amd64 cp312 manylinux_2_36",
    "linux/arm64/v8, 3.12.1,  manylinux_2_28, 3.12,          3.12.1,  AARCH64, linux/arm64 cp312 manylinux_2_28",
    "aarch64,        3.9,     manylinux2014,  3.9,           3.9.0,   AARCH64, linux/arm64 cp39 manylinux_2_17",
    "linux/386,      3.8.18,  manylinux1,     3.8,           3.8.18,  I686,    linux/386 cp38 manylinux_2_5",
    "linux/arm/v7,   3.13,    2_31,           3.13,          3.13.0,  ARMV7L,  linux/arm/v7 cp313 manylinux_2_31",
  })
  void parsesGlibcTargets(
      String platform,
      String python,
      String glibc,
      String pythonVersion,
      String fullVersion,
      Arch arch,
      String label) {
    TargetEnvironment target =
        TargetEnvironment.of(platform, python, Libc.parse(Kind.GLIBC, glibc));

    assertThat(target.pythonVersion()).isEqualTo(pythonVersion);
    assertThat(target.pythonFullVersion()).isEqualTo(fullVersion);
    assertThat(target.arch()).isEqualTo(arch);
    assertThat(target.containerPlatform()).isEqualTo(arch.containerPlatform());
    assertThat(target.label()).isEqualTo(label);
  }

  @Test
  void labelsMuslTargets() {
    TargetEnvironment target =
        TargetEnvironment.of("linux/amd64", "3.11", Libc.parse(Kind.MUSL, "1.2"));

    assertThat(target.label()).isEqualTo("linux/amd64 cp311 musllinux_1_2");
    assertThat(target.interpreterTag()).isEqualTo("cp311");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // only Linux platforms, and the message lists the supported ones
        "windows/amd64 | 3.12  | 2.36 | unsupported platform 'windows/amd64': expected one of"
            + " linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le, linux/s390x, linux/386",
        "linux/riscv64 | 3.12  | 2.36 | unsupported platform 'linux/riscv64'",
        // CPython 3.x only, as major.minor or major.minor.micro
        "linux/amd64   | 2.7   | 2.36 | unsupported Python version '2.7': only CPython 3.x",
        "linux/amd64   | 3     | 2.36 | invalid Python version '3': expected major.minor",
        "linux/amd64   | cp312 | 2.36 | invalid Python version 'cp312'",
        "linux/amd64   | 3.12.1rc1 | 2.36 | invalid Python version '3.12.1rc1'",
        // glibc older than the architecture's first manylinux tag
        "linux/arm64   | 3.12  | 2.12 | glibc 2.12 is too old for aarch64: manylinux wheels for it"
            + " start at manylinux_2_17",
        "linux/s390x   | 3.12  | 2.16 | glibc 2.16 is too old for s390x",
        "linux/amd64   | 3.12  | 2.4  | glibc 2.4 is too old for x86_64",
      })
  void rejectsWithAReason(String platform, String python, String glibc, String message) {
    Libc libc = Libc.parse(Kind.GLIBC, glibc);
    assertThatThrownBy(() -> TargetEnvironment.of(platform, python, libc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void acceptsTheOldestGlibcEachArchitectureHasWheelsFor() {
    assertThat(TargetEnvironment.of("linux/amd64", "3.12", new Libc(Kind.GLIBC, 2, 5))).isNotNull();
    assertThat(TargetEnvironment.of("linux/arm64", "3.12", new Libc(Kind.GLIBC, 2, 17)))
        .isNotNull();
    // musl has no per-architecture minimum
    assertThat(TargetEnvironment.of("linux/s390x", "3.12", new Libc(Kind.MUSL, 1, 0))).isNotNull();
  }

  @Test
  void describesItselfAsPep508MarkerVariables() {
    TargetEnvironment target =
        TargetEnvironment.of("linux/arm64", "3.12.4", Libc.parse(Kind.GLIBC, "2.36"));

    assertThat(target.markerEnvironment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("python_version", "3.12"),
                Map.entry("python_full_version", "3.12.4"),
                Map.entry("platform_machine", "aarch64"),
                Map.entry("sys_platform", "linux"),
                Map.entry("os_name", "posix"),
                Map.entry("platform_system", "Linux"),
                Map.entry("implementation_name", "cpython"),
                Map.entry("platform_python_implementation", "CPython"),
                Map.entry("implementation_version", "3.12.4"),
                Map.entry("platform_release", ""),
                Map.entry("platform_version", "")));
  }

  // Indices checked against pip's vendored packaging.tags (cpython_tags() then compatible_tags()).
  @ParameterizedTest(name = "{0} {1} {2}: #{4} is {3}")
  @CsvSource({
    // platform,   python, libc,         tag,                                index
    // cp312 on x86_64 glibc 2.36: 36 platforms, newest manylinux first
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_36_x86_64, 0",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_35_x86_64, 1",
    // each legacy alias right after the glibc version it stands for
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_17_x86_64, 19",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux2014_x86_64,  20",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_12_x86_64, 25",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux2010_x86_64,  26",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_5_x86_64,  33",
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-manylinux1_x86_64,     34",
    // the plain linux tag comes after every manylinux tag
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-linux_x86_64,          35",
    // then the stable ABI, then no ABI, for the same platforms
    "linux/amd64, 3.12, manylinux_2_36, cp312-abi3-manylinux_2_36_x86_64,  36",
    "linux/amd64, 3.12, manylinux_2_36, cp312-none-manylinux_2_36_x86_64,  72",
    // older stable ABIs from cp311 down to cp32
    "linux/amd64, 3.12, manylinux_2_36, cp311-abi3-manylinux_2_36_x86_64,  108",
    "linux/amd64, 3.12, manylinux_2_36, cp38-abi3-manylinux_2_17_x86_64,   235",
    "linux/amd64, 3.12, manylinux_2_36, cp32-abi3-linux_x86_64,            467",
    // compatible_tags(): py312, py3, py311 ... py30 for the platforms
    "linux/amd64, 3.12, manylinux_2_36, py312-none-manylinux_2_36_x86_64,  468",
    "linux/amd64, 3.12, manylinux_2_36, py3-none-manylinux_2_17_x86_64,    523",
    "linux/amd64, 3.12, manylinux_2_36, py30-none-linux_x86_64,            971",
    // then any platform: the interpreter first, then the same Python range
    "linux/amd64, 3.12, manylinux_2_36, cp312-none-any,                    972",
    "linux/amd64, 3.12, manylinux_2_36, py312-none-any,                    973",
    "linux/amd64, 3.12, manylinux_2_36, py3-none-any,                      974",
    "linux/amd64, 3.12, manylinux_2_36, py311-none-any,                    975",
    "linux/amd64, 3.12, manylinux_2_36, py30-none-any,                     986",
    // cp312 on aarch64 glibc 2.28: 14 platforms, manylinux stops at 2_17 (and manylinux2014)
    "linux/arm64, 3.12, manylinux_2_28, cp312-cp312-manylinux_2_28_aarch64, 0",
    "linux/arm64, 3.12, manylinux_2_28, cp312-cp312-manylinux_2_17_aarch64, 11",
    "linux/arm64, 3.12, manylinux_2_28, cp312-cp312-manylinux2014_aarch64,  12",
    "linux/arm64, 3.12, manylinux_2_28, cp312-cp312-linux_aarch64,          13",
    "linux/arm64, 3.12, manylinux_2_28, cp312-abi3-manylinux_2_28_aarch64,  14",
    "linux/arm64, 3.12, manylinux_2_28, cp312-none-manylinux_2_28_aarch64,  28",
    "linux/arm64, 3.12, manylinux_2_28, cp32-abi3-linux_aarch64,            181",
    "linux/arm64, 3.12, manylinux_2_28, py3-none-manylinux2014_aarch64,     208",
    "linux/arm64, 3.12, manylinux_2_28, cp312-none-any,                     378",
    "linux/arm64, 3.12, manylinux_2_28, py3-none-any,                       380",
    "linux/arm64, 3.12, manylinux_2_28, py30-none-any,                      392",
    // cp312 on x86_64 musl 1.2: musllinux_1_2 down to 1_0, then linux
    "linux/amd64, 3.12, musllinux_1_2, cp312-cp312-musllinux_1_2_x86_64,    0",
    "linux/amd64, 3.12, musllinux_1_2, cp312-cp312-musllinux_1_1_x86_64,    1",
    "linux/amd64, 3.12, musllinux_1_2, cp312-cp312-musllinux_1_0_x86_64,    2",
    "linux/amd64, 3.12, musllinux_1_2, cp312-cp312-linux_x86_64,            3",
    "linux/amd64, 3.12, musllinux_1_2, cp312-abi3-musllinux_1_2_x86_64,     4",
    "linux/amd64, 3.12, musllinux_1_2, cp32-abi3-linux_x86_64,              51",
    "linux/amd64, 3.12, musllinux_1_2, py312-none-musllinux_1_2_x86_64,     52",
    "linux/amd64, 3.12, musllinux_1_2, cp312-none-any,                      108",
    "linux/amd64, 3.12, musllinux_1_2, py30-none-any,                       122",
  })
  void ordersTagsAsPip(String platform, String python, String libc, String tag, int index) {
    TargetEnvironment target = TargetEnvironment.of(platform, python, parseLibc(libc));
    Tag expected = tag(tag);

    assertThat(target.supportedTags().get(index)).isEqualTo(expected);
    assertThat(target.priority(expected)).hasValue(index);
  }

  @ParameterizedTest
  @CsvSource({
    // platform,   python, libc,           tag count (as pip lists them)
    "linux/amd64,  3.12, manylinux_2_36, 987",
    "linux/arm64,  3.12, manylinux_2_28, 393",
    "linux/amd64,  3.12, musllinux_1_2,  123",
    "linux/386,    3.9,  manylinux_2_17, 369",
    "linux/arm/v7, 3.13, manylinux_2_31, 509",
    "linux/s390x,  3.10, manylinux_2_17, 82",
    "linux/amd64,  3.11, musllinux_1_2,  114",
  })
  void listsAsManyTagsAsPip(String platform, String python, String libc, int count) {
    TargetEnvironment target = TargetEnvironment.of(platform, python, parseLibc(libc));

    assertThat(target.supportedTags()).hasSize(count).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0} {1} {2} rejects {3}")
  @CsvSource({
    // newer glibc than the target has
    "linux/amd64, 3.12, manylinux_2_28, cp312-cp312-manylinux_2_29_x86_64",
    // manylinux2014 needs glibc 2.17
    "linux/amd64, 3.12, manylinux_2_12, cp312-cp312-manylinux2014_x86_64",
    // no manylinux2010 or manylinux1 outside x86
    "linux/arm64, 3.12, manylinux_2_36, cp312-cp312-manylinux2010_aarch64",
    "linux/arm64, 3.12, manylinux_2_36, cp312-cp312-manylinux_2_16_aarch64",
    // another architecture
    "linux/arm64, 3.12, manylinux_2_36, cp312-cp312-manylinux2014_x86_64",
    // musllinux on a glibc target and the other way round
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-musllinux_1_1_x86_64",
    "linux/amd64, 3.12, musllinux_1_2,  cp312-cp312-manylinux_2_17_x86_64",
    "linux/amd64, 3.12, musllinux_1_1,  cp312-cp312-musllinux_1_2_x86_64",
    // another interpreter's ABI, a newer interpreter, or the stable ABI of a newer one
    "linux/amd64, 3.12, manylinux_2_36, cp311-cp311-manylinux_2_17_x86_64",
    "linux/amd64, 3.12, manylinux_2_36, cp313-cp313-manylinux_2_17_x86_64",
    "linux/amd64, 3.12, manylinux_2_36, cp313-abi3-manylinux_2_17_x86_64",
    "linux/amd64, 3.12, manylinux_2_36, cp31-abi3-manylinux_2_17_x86_64",
    // other systems and Python 2
    "linux/amd64, 3.12, manylinux_2_36, cp312-cp312-win_amd64",
    "linux/amd64, 3.12, manylinux_2_36, py2-none-any",
    "linux/amd64, 3.12, manylinux_2_36, py313-none-any",
  })
  void doesNotSupport(String platform, String python, String libc, String tag) {
    TargetEnvironment target = TargetEnvironment.of(platform, python, parseLibc(libc));

    assertThat(target.priority(tag(tag))).isEmpty();
    assertThat(target.supportedTags()).doesNotContain(tag(tag));
  }

  @Test
  void comparesTagsIgnoringCase() {
    TargetEnvironment target = TargetEnvironment.of("linux/amd64", "3.12", Libc.defaultGlibc());

    assertThat(target.priority(new Tag("CP312", "CP312", "MANYLINUX_2_36_X86_64"))).hasValue(0);
  }

  @Test
  void ranksAWheelByItsBestTag() {
    TargetEnvironment target = TargetEnvironment.of("linux/amd64", "3.12", Libc.defaultGlibc());
    WheelFilename wheel =
        WheelFilename.parse(
            "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");

    assertThat(wheel.tags().stream().map(target::priority).toList())
        .extracting(p -> p.orElse(-1))
        .containsExactly(19, 20);
  }

  @Test
  void sharesTheTagListBetweenEqualTargets() {
    List<Tag> first = TargetEnvironment.of("amd64", "3.12", Libc.defaultGlibc()).supportedTags();
    List<Tag> second =
        TargetEnvironment.of("linux/amd64", "3.12.0", Libc.defaultGlibc()).supportedTags();

    assertThat(second).isSameAs(first);
    assertThatThrownBy(() -> first.add(tag("py3-none-any")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static Libc parseLibc(String text) {
    return text.startsWith("musllinux")
        ? Libc.parse(Kind.MUSL, text)
        : Libc.parse(Kind.GLIBC, text);
  }

  private static Tag tag(String text) {
    String[] parts = text.split("-", -1);
    return new Tag(parts[0], parts[1], parts[2]);
  }
}
