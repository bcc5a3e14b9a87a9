package dev.wheelhouse.packaging.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.packaging.tags.Libc.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibcTest {

  @ParameterizedTest
  @CsvSource({
    // glibc: underscore, dot and PEP 600 spellings
    "GLIBC, 2_28,           2, 28",
    "GLIBC, 2.28,           2, 28",
    "GLIBC, manylinux_2_28, 2, 28",
    "GLIBC, MANYLINUX_2_36, 2, 36",
    "GLIBC, ' 2.31 ',       2, 31",
    // legacy manylinux names stand for the glibc of their CentOS (PEP 513, 571, 599)
    "GLIBC, manylinux1,     2, 5",
    "GLIBC, manylinux2010,  2, 12",
    "GLIBC, manylinux2014,  2, 17",
    // musl: underscore, dot and PEP 656 spellings
    "MUSL,  1_2,            1, 2",
    "MUSL,  1.1,            1, 1",
    "MUSL,  musllinux_1_2,  1, 2",
  })
  void parses(Kind kind, String text, int major, int minor) {
    assertThat(Libc.parse(kind, text)).isEqualTo(new Libc(kind, major, minor));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // not a version at all
        "GLIBC | glibc      | invalid glibc version 'glibc': expected 2_28, 2.28, manylinux_2_28,",
        "GLIBC | 2          | invalid glibc version '2'",
        "GLIBC | 2.28.1     | invalid glibc version '2.28.1'",
        // legacy names exist only for glibc
        "MUSL  | manylinux2014 | (manylinux tags are for glibc, not musl)",
        // the other libc's tag
        "GLIBC | musllinux_1_2 | (musllinux tags are for musl, not glibc)",
        "MUSL  | manylinux_2_28 | invalid musl version 'manylinux_2_28': expected 1_2, 1.2 or",
        // glibc 1 never had manylinux wheels
        "GLIBC | 1.9        | manylinux starts at glibc 2",
        "MUSL  | 0_9        | musllinux starts at musl 1",
        "GLIBC | ''         | missing glibc version",
      })
  void rejectsWithAReason(Kind kind, String text, String message) {
    assertThatThrownBy(() -> Libc.parse(kind, text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void namesItsTagPrefix() {
    assertThat(Libc.defaultGlibc().tagPrefix()).isEqualTo("manylinux_2_36");
    assertThat(new Libc(Kind.MUSL, 1, 2).tagPrefix()).isEqualTo("musllinux_1_2");
  }
}
