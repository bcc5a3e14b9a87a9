package dev.wheelhouse.packaging.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.packaging.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecifierSetTest {

  // Columns: specifier set, candidate version, whether it matches with pre-releases not allowed.
  // Cases from PEP 440 "Version specifiers", checked against packaging.specifiers.
  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // compatible release: ~=2.2 is >=2.2,==2.*
        "~=2.2        | 2.2          | true",
        "~=2.2        | 2.9.1        | true",
        "~=2.2        | 2.1          | false",
        "~=2.2        | 3.0          | false",
        "~=2.2        | 2.2.post3    | true",
        // ~=1.4.5 is >=1.4.5,==1.4.*
        "~=1.4.5      | 1.4.5        | true",
        "~=1.4.5      | 1.4.9        | true",
        "~=1.4.5      | 1.5          | false",
        "~=1.4.5      | 1.4.4        | false",
        // suffixes are dropped from the prefix: ~=2.2.post3 is >=2.2.post3,==2.*
        "~=2.2.post3  | 2.2.post3    | true",
        "~=2.2.post3  | 2.9          | true",
        "~=2.2.post3  | 2.2.post2    | false",
        "~=2.2.post3  | 3.0          | false",
        // ~=1.4.5a4 is >=1.4.5a4,==1.4.*, and names a pre-release
        "~=1.4.5a4    | 1.4.5a4      | true",
        "~=1.4.5a4    | 1.4.5a5      | true",
        "~=1.4.5a4    | 1.4.5        | true",
        "~=1.4.5a4    | 1.4.5a3      | false",
        "~=1.4.5a4    | 1.5          | false",
        // trailing zeros in ~= are significant for the prefix
        "~=2.2.0      | 2.2.9        | true",
        "~=2.2.0      | 2.3          | false",
        "~=1!2.2      | 1!2.5        | true",
        "~=1!2.2      | 2.5          | false",
        // prefix matching, padded with zeros
        "==1.1.*      | 1.1          | true",
        "==1.1.*      | 1.1.0        | true",
        "==1.1.*      | 1.1.post1    | true",
        "==1.1.*      | 1.10         | false",
        "==1.1.*      | 1.2          | false",
        "==1.1.*      | 1.1+local    | true",
        "==1.1.*      | 1.1a1        | false",
        "==1.0.0.0.*  | 1            | true",
        "==1.0.*      | 1            | true",
        "==1.2.3.*    | 1.2          | false",
        "==1!1.*      | 1.0          | false",
        "==1!1.*      | 1!1.5        | true",
        "!=1.1.*      | 1.1.3        | false",
        "!=1.1.*      | 1.2          | true",
        "!=1.1.*      | 1.1+local    | false",
        // exact matching, zero-padded
        "==1.1        | 1.1.0        | true",
        "==1.1.0      | 1.1          | true",
        "==1.1        | 1.1.1        | false",
        "==1.1        | 1.1.post1    | false",
        "==1!1.1      | 1.1          | false",
        // local versions: a public specifier matches every local build
        "==2.1.0      | 2.1.0+cu121  | true",
        "==2.1        | 2.1.0+cu121  | true",
        "==1.0+abc    | 1.0+abc      | true",
        "==1.0+abc    | 1.0          | false",
        "==1.0+abc    | 1.0+abc.5    | false",
        "==1.0+abc.5  | 1.0+abc.05   | true",
        "!=1.0+abc    | 1.0+abc      | false",
        "!=1.0+abc    | 1.0+xyz      | true",
        "!=1.0        | 1.0+abc      | false",
        "<=1.0        | 1.0+local    | true",
        ">=1.0        | 1.0+local    | true",
        // exclusive ordered comparisons
        ">1.7         | 1.7.1        | true",
        ">1.7         | 1.7.0.post1  | false",
        ">1.7         | 1.7.post3    | false",
        ">1.7         | 1.7+local    | false",
        ">1.7         | 1.7.1+local  | true",
        ">1.7.post2   | 1.7.post3    | true",
        ">1.7.post2   | 1.7.post2    | false",
        ">1.0.post0   | 1.0.post1    | true",
        "<3.1         | 3.0.5        | true",
        "<3.1         | 3.1          | false",
        "<3.1         | 3.1.dev0     | false",
        "<3.1a1       | 3.1.dev0     | true",
        "<1.0.post1   | 1.0          | true",
        "<1.0.post1   | 1.0+local    | true",
        "<1!0         | 5.0          | true",
        // inclusive ordered comparisons
        ">=1.0        | 1.0          | true",
        ">=1.0        | 0.9          | false",
        "<=1.0        | 1.0.0        | true",
        "<=1.0        | 1.0.post1    | false",
        // pre-releases match only when a clause names one
        ">=1.0        | 1.1a1        | false",
        ">=1.0        | 3.0.dev0     | false",
        ">=1.0        | 1.0.post1    | true",
        ">=1.0b1      | 1.0b2        | true",
        ">=1.0b1      | 1.0a1        | false",
        ">=1.0b1      | 2.0a1        | true",
        "<2.0rc1      | 2.0b1        | true",
        "<2.0rc1      | 1.5a1        | true",
        ">=1.0,<2.0   | 1.5a1        | false",
        ">=1.0a1,<2.0 | 1.5a1        | true",
        "!=1.0a1      | 1.0a2        | false",
        "==1.0.dev1   | 1.0.dev1     | true",
        "==1.0rc1     | 1.0rc1      | true",
        "''           | 1.0          | true",
        "''           | 1.0a1        | false",
        // several clauses, all must hold
        ">1.0,!=1.5.*,<=2.0 | 1.5.3  | false",
        ">1.0,!=1.5.*,<=2.0 | 1.6    | true",
        ">1.0,!=1.5.*,<=2.0 | 2.0    | true",
        ">1.0,!=1.5.*,<=2.0 | 2.0.post1 | false",
        ">= 1.0 , < 2 | 1.9          | true",
        ">= 1.0 , < 2 | 2.0          | false",
        // the identity operator compares the normalized string, ignoring case
        "===1.0       | 1.0          | true",
        "===1.0       | 1.0.0        | false",
        "===1.0rc1    | 1.0rc1       | true",
      })
  void containsWithoutPreReleases(String specifiers, String version, boolean expected) {
    assertThat(SpecifierSet.parse(specifiers).contains(Version.parse(version), false))
        .isEqualTo(expected);
  }

  // Columns: specifier set, candidate version, whether it matches when pre-releases are allowed.
  @ParameterizedTest(name = "{0} contains {1} (pre-releases allowed): {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        ">=1.0        | 1.1a1        | true",
        ">=1.0        | 3.0.dev0     | true",
        ">=1.0,<2.0   | 1.5a1        | true",
        "<3.1         | 3.1.dev0     | false",
        "<3.1         | 3.1a1        | false",
        "<3.1         | 3.0.9a1      | true",
        "<1.0.post1   | 1.0.post1.dev0 | false",
        "<1.0.post1   | 1.0rc1       | true",
        ">1.0a1       | 1.0a1+local  | false",
        ">1.0a1       | 1.0a2+local  | true",
        "==1.1.*      | 1.1a1        | true",
        "==1.1.*      | 1.1.1a1      | true",
        "==1.2.3.*    | 1.2a1        | false",
        "!=1.0        | 1.0a1        | true",
        "''           | 1.0a1        | true",
        "~=2.2        | 2.3.dev0     | true",
        "~=2.2        | 2.2rc1       | false",
      })
  void containsWithPreReleases(String specifiers, String version, boolean expected) {
    assertThat(SpecifierSet.parse(specifiers).contains(Version.parse(version), true))
        .isEqualTo(expected);
  }

  // Columns: specifier set, version as written, whether it matches.
  @ParameterizedTest(name = "{0} contains text {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "===foobar         | foobar    | true",
        "===foobar         | FooBar    | true",
        "===foobar         | foobar2   | false",
        "===1.0            | 1.0       | true",
        "===1.0            | 1.0.0     | false",
        "===1.0            | v1.0      | false",
        // the other operators need a PEP 440 version
        ">=1.0             | foobar    | false",
        ">=1.0             | 1.5       | true",
        "===foobar,>=1.0   | foobar    | false",
        ">=1.0             | 2.0a1     | false",
        "''                | anything  | true",
      })
  void containsText(String specifiers, String version, boolean expected) {
    assertThat(SpecifierSet.parse(specifiers).containsText(version)).isEqualTo(expected);
  }

  @Test
  void containsTextAllowsPreReleasesOnRequest() {
    assertThat(SpecifierSet.parse(">=1.0").containsText("2.0a1", true)).isTrue();
  }

  // Columns: specifier set as written, normalized form.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        ">=1.0                | >=1.0",
        ">= 1.0 , < 2         | >=1.0,<2",
        "  ==1.0.0  ,!=1.0.1  | ==1.0.0,!=1.0.1",
        ">= v1.0              | >=1.0",
        "==V1.0RC1            | ==1.0rc1",
        "< 1.0-1              | <1.0.post1",
        "==1.0_a_1            | ==1.0a1",
        "~= 1.4.5             | ~=1.4.5",
        "== 1.1.*             | ==1.1.*",
        "==0!1.1.*            | ==1.1.*",
        "==1.0+UBUNTU-1       | ==1.0+ubuntu.1",
        "=== Foo-Bar          | ===Foo-Bar",
        "''                   | ''",
      })
  void normalizes(String written, String normalized) {
    assertThat(SpecifierSet.parse(written)).hasToString(normalized);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0",
        "=1.0",
        "=>1.0",
        "~=1",
        ">=1.0.*",
        "<1.0+local",
        "~=1.0+local",
        "==1.0a1.*",
        "==",
        "===",
        ">=1.0,",
        ">=1.0,,<2",
        ">=1.0 <2",
        ">=foo",
        "==1.0.*.*",
        "==99999999999999999999",
      })
  void rejectsInvalidSpecifiers(String text) {
    assertThatThrownBy(() -> SpecifierSet.parse(text))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageContaining("invalid version specifier")
        .hasMessageNotContaining("\n");
  }

  @Test
  void errorQuotesTheInput() {
    assertThatThrownBy(() -> SpecifierSet.parse(">=1.0,<>2"))
        .hasMessageStartingWith("invalid version specifier set '>=1.0,<>2': ")
        .hasMessageContaining("'<>2'");
  }

  // Columns: specifier set, pinned version ('' for none).
  @ParameterizedTest(name = "{0} pins {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "==1.0          | 1.0",
        "== 1.0.0       | 1.0.0",
        "==1.0+cu121    | 1.0+cu121",
        "==V1.0RC1      | 1.0rc1",
        "===1.0-custom  | 1.0-custom",
        "==1.0.*        | ''",
        ">=1.0          | ''",
        "==1.0,>=0.5    | ''",
        "!=1.0          | ''",
        "''             | ''",
      })
  void pinnedVersion(String specifiers, String pinned) {
    assertThat(SpecifierSet.parse(specifiers).pinnedVersion().orElse("")).isEqualTo(pinned);
  }

  // Columns: specifier set, whether a clause names a pre-release.
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        ">=1.0b1     | true",
        "==1.0.dev0  | true",
        "~=1.0rc1    | true",
        "===1.0a1    | true",
        "!=1.0b1     | false",
        ">=1.0       | false",
        "==1.*       | false",
        "===foo      | false",
      })
  void namesPreRelease(String specifiers, boolean expected) {
    assertThat(SpecifierSet.parse(specifiers).namesPreRelease()).isEqualTo(expected);
  }

  @Test
  void anyIsEmptyAndMatchesFinalReleases() {
    assertThat(SpecifierSet.any().isEmpty()).isTrue();
    assertThat(SpecifierSet.any().contains(Version.parse("0.0.1"), false)).isTrue();
    assertThat(SpecifierSet.any()).hasToString("").isEqualTo(SpecifierSet.parse(" "));
    assertThat(SpecifierSet.parse(">=1").isEmpty()).isFalse();
  }

  @Test
  void equalityFollowsTheNormalizedClauses() {
    assertThat(SpecifierSet.parse(">= 1.0, <2"))
        .isEqualTo(SpecifierSet.parse(">=1.0,<2"))
        .hasSameHashCodeAs(SpecifierSet.parse(">=1.0,<2"))
        .isNotEqualTo(SpecifierSet.parse(">=1.0"));
    assertThat(SpecifierSet.parse(">= 1.0, <2").clauses()).containsExactly(">=1.0", "<2");
  }
}
