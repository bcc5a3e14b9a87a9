package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProjectNameTest {

  // PEP 503: all of these spellings are the same project.
  @ParameterizedTest
  @CsvSource({
    "Friendly-Bard, friendly-bard",
    "FRIENDLY-BARD, friendly-bard",
    "friendly.bard, friendly-bard",
    "friendly_bard, friendly-bard",
    "friendly--bard, friendly-bard",
    "FrIeNdLy-._.-bArD, friendly-bard",
    "a, a",
    "Django, django",
    "zope.interface, zope-interface",
    "typing_extensions, typing-extensions",
    "a..b, a-b",
  })
  void normalizesPep503Examples(String raw, String normalized) {
    ProjectName name = ProjectName.of(raw);

    assertThat(name.value()).isEqualTo(normalized);
    assertThat(name).hasToString(normalized);
    assertThat(ProjectName.normalize(raw)).isEqualTo(normalized);
    assertThat(ProjectName.isValid(raw)).isTrue();
    assertThat(name).isEqualTo(ProjectName.of(normalized));
  }

  static Stream<String> invalidNames() {
    return Stream.of(
        "",
        "-foo",
        "foo-",
        ".foo",
        "foo_",
        "..",
        "../x",
        "a/b",
        "a\\b",
        "a\0b",
        "foo\n",
        "%2e%2e",
        " ",
        "foo bar",
        " foo",
        "caf\u00e9",
        "x".repeat(ProjectName.MAX_LENGTH + 1));
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void rejectsInvalidNames(String raw) {
    assertThat(ProjectName.isValid(raw)).isFalse();
    assertThat(ProjectName.isNormalized(raw)).isFalse();
    assertThatThrownBy(() -> ProjectName.of(raw))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageStartingWith("invalid project name ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\0"));
  }

  @Test
  void rejectsNull() {
    assertThat(ProjectName.isValid(null)).isFalse();
    assertThatThrownBy(() -> ProjectName.of(null)).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void acceptsMaximumLength() {
    assertThat(ProjectName.isValid("x".repeat(ProjectName.MAX_LENGTH))).isTrue();
  }

  @Test
  void messageQuotesTheName() {
    assertThatThrownBy(() -> ProjectName.of("foo/../x"))
        .hasMessageStartingWith("invalid project name 'foo/../x': ");
  }

  @ParameterizedTest
  @CsvSource({
    "friendly-bard, true",
    "a, true",
    "a1-b2, true",
    "Friendly-Bard, false",
    "friendly_bard, false",
    "friendly.bard, false",
    "friendly--bard, false",
    "-friendly, false",
  })
  void detectsNormalizedForm(String raw, boolean normalized) {
    assertThat(ProjectName.isNormalized(raw)).isEqualTo(normalized);
  }

  @Test
  void canonicalConstructorAlsoValidatesAndNormalizes() {
    assertThat(new ProjectName("Zope.Interface").value()).isEqualTo("zope-interface");
    assertThatThrownBy(() -> new ProjectName("a/b")).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void normalizeDoesNotValidate() {
    assertThat(ProjectName.normalize("Foo Bar")).isEqualTo("foo bar");
  }

  @Test
  void ordersByNormalizedValue() {
    assertThat(ProjectName.of("B_ar")).isGreaterThan(ProjectName.of("a"));
    assertThat(ProjectName.of("Foo").compareTo(ProjectName.of("foo"))).isZero();
  }
}
