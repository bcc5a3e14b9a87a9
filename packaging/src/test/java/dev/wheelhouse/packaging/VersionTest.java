package dev.wheelhouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  // PEP 440 "Normalization" section, plus canonical forms that must round-trip.
  @ParameterizedTest
  @CsvSource({
    // case sensitivity
    "1.1RC1, 1.1rc1",
    "1.0.RC1, 1.0rc1",
    "1.0.POST1, 1.0.post1",
    "1.0.DEV1, 1.0.dev1",
    // integer normalization
    "00, 0",
    "09000, 9000",
    "1.0+foo0100, 1.0+foo0100",
    "1.0+0100, 1.0+100",
    "1.01a01.post01.dev01, 1.1a1.post1.dev1",
    // pre-release separators and spelling
    "1.1.a1, 1.1a1",
    "1.1-a1, 1.1a1",
    "1.1_a1, 1.1a1",
    "1.0a.1, 1.0a1",
    "1.0-alpha1, 1.0a1",
    "1.1alpha1, 1.1a1",
    "1.1beta2, 1.1b2",
    "1.1c3, 1.1rc3",
    "1.0c1, 1.0rc1",
    "1.0pre2, 1.0rc2",
    "1.0preview3, 1.0rc3",
    "1.0-rc-4, 1.0rc4",
    // implicit pre-release number
    "1.2a, 1.2a0",
    "1.0a, 1.0a0",
    // post release separators, spelling and implicit number
    "1.2-post2, 1.2.post2",
    "1.2post2, 1.2.post2",
    "1.2.post-2, 1.2.post2",
    "1.2.post.2, 1.2.post2",
    "1.0-r4, 1.0.post4",
    "1.0rev4, 1.0.post4",
    "1.2.post, 1.2.post0",
    // implicit post releases
    "1.0-1, 1.0.post1",
    "1.0a1-1, 1.0a1.post1",
    // development releases
    "1.2-dev2, 1.2.dev2",
    "1.2dev2, 1.2.dev2",
    "1.2.dev-2, 1.2.dev2",
    "1.2.dev, 1.2.dev0",
    "1.0.dev, 1.0.dev0",
    // local version segments
    "1.0+ubuntu-1, 1.0+ubuntu.1",
    "1.0+ubuntu_1, 1.0+ubuntu.1",
    "1.0+UBUNTU.1, 1.0+ubuntu.1",
    // preceding v, whitespace
    "v1.0, 1.0",
    "V1.0, 1.0",
    "' 1.0 ', 1.0",
    // epochs
    "1!1.0, 1!1.0",
    "0!1.0, 1.0",
    "1!2.0rc1.post2.dev3+ubuntu.1, 1!2.0rc1.post2.dev3+ubuntu.1",
    // release segments keep their length
    "1.0.0, 1.0.0",
    "2.1.0+cu121, 2.1.0+cu121",
    "20240101123456, 20240101123456",
  })
  void normalizesPep440Spellings(String raw, String normalized) {
    Version version = Version.parse(raw);

    assertThat(version.normalized()).isEqualTo(normalized);
    assertThat(version).hasToString(normalized);
    assertThat(Version.isValid(raw)).isTrue();
    assertThat(Version.parse(normalized)).isEqualTo(version);
  }

  @Test
  void stripsAnyLeadingAndTrailingWhitespace() {
    assertThat(Version.parse("\n1.0\t").normalized()).isEqualTo("1.0");
  }

  // PEP 440 "Summary of permitted suffixes and relative ordering".
  static final List<String> SPEC_ORDER =
      List.of(
          "1.dev0",
          "1.0.dev456",
          "1.0a1",
          "1.0a2.dev456",
          "1.0a12.dev456",
          "1.0a12",
          "1.0b1.dev456",
          "1.0b2",
          "1.0b2.post345.dev456",
          "1.0b2.post345",
          "1.0rc1.dev456",
          "1.0rc1",
          "1.0",
          "1.0+abc.5",
          "1.0+abc.7",
          "1.0+5",
          "1.0.post456.dev34",
          "1.0.post456",
          "1.0.15",
          "1.1.dev1");

  // Local versions as published by the PyTorch index.
  static final List<String> LOCAL_ORDER =
      List.of(
          "2.1.0rc1",
          "2.1.0",
          "2.1.0+cpu",
          "2.1.0+cu118",
          "2.1.0+cu121",
          "2.1.0+5",
          "2.1.0.post1",
          "2.1.1.dev0");

  static final List<String> PHASE_ORDER =
      List.of(
          "1.0.dev0",
          "1.0a1.dev0",
          "1.0a1",
          "1.0a1.post1.dev0",
          "1.0a1.post1",
          "1.0b1",
          "1.0rc1",
          "1.0",
          "1.0.post1.dev0",
          "1.0.post1",
          "1!0.1");

  // Epochs from the PEP's "Version epochs" section, plus local edge cases.
  static final List<String> MISC_ORDER =
      List.of(
          "2013.10",
          "2014.04",
          "1!1.0",
          "1!1.0+a",
          "1!1.0+a.b",
          "1!1.0+a.0",
          "1!1.0+b",
          "1!1.0+9",
          "1!1.0+10",
          "1!1.0+10.a",
          "1!1.0+99999999999999999999999",
          "1!1.1",
          "1!2.0");

  static Stream<Arguments> orderedPairs() {
    return Stream.of(SPEC_ORDER, LOCAL_ORDER, PHASE_ORDER, MISC_ORDER)
        .flatMap(
            chain ->
                IntStream.range(1, chain.size())
                    .mapToObj(i -> Arguments.of(chain.get(i - 1), chain.get(i))));
  }

  @ParameterizedTest(name = "{0} < {1}")
  @MethodSource("orderedPairs")
  void ordersAdjacentVersions(String lower, String higher) {
    Version low = Version.parse(lower);
    Version high = Version.parse(higher);

    assertThat(low).isLessThan(high);
    assertThat(high).isGreaterThan(low);
    assertThat(low).isNotEqualTo(high);
  }

  @ParameterizedTest
  @MethodSource("orderChains")
  void sortsShuffledChainBackIntoOrder(List<String> chain) {
    List<Version> shuffled = new ArrayList<>(chain.stream().map(Version::parse).toList());
    Collections.shuffle(shuffled, new Random(440));
    Collections.sort(shuffled);

    assertThat(shuffled)
        .extracting(Version::normalized)
        .containsExactlyElementsOf(normalized(chain));
  }

  static Stream<List<String>> orderChains() {
    return Stream.of(SPEC_ORDER, LOCAL_ORDER, PHASE_ORDER, MISC_ORDER);
  }

  private static List<String> normalized(List<String> chain) {
    return chain.stream().map(v -> Version.parse(v).normalized()).toList();
  }

  @ParameterizedTest
  @CsvSource({
    "1.0, 1.0.0",
    "1.0, 1.0.0.0",
    "1.0.0, 1.0.0.0",
    "1.0.POST1, 1.0.post1",
    "1.0-1, 1.0.post1",
    "1.dev0, 1.0.dev0",
    "1.0+ubuntu-1, 1.0+UBUNTU.1",
    "1.0+01, 1.0+1",
    "0!1.0, 1.0",
    "v1.0a, 1.0a0",
    "1.0.0+cpu, 1.0+cpu",
  })
  void equalVersionsHaveEqualHashCodes(String a, String b) {
    Version first = Version.parse(a);
    Version second = Version.parse(b);

    assertThat(first).isEqualTo(second);
    assertThat(first.compareTo(second)).isZero();
    assertThat(first.hashCode()).isEqualTo(second.hashCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "1.0+",
        "1.0+a..b",
        "1.0+_a",
        "1.0+a-",
        "french toast",
        "1.0-",
        "1.0.post1.post2",
        "1.0a1b1",
        "1.0.dev1.dev2",
        "1.0.",
        ".1.0",
        "1..0",
        "!1.0",
        "1.0!",
        "v",
        "1.0 .post1",
        "1.0/2",
        "\u0661.0", // Arabic-Indic digit one
        "99999999999999999999.0",
        "99999999999!1.0",
      })
  void rejectsInvalidVersions(String text) {
    assertThat(Version.isValid(text)).isFalse();
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(InvalidVersionException.class)
        .hasMessageStartingWith("invalid version ");
  }

  @Test
  void rejectsNull() {
    assertThat(Version.isValid(null)).isFalse();
    assertThatThrownBy(() -> Version.parse(null)).isInstanceOf(InvalidVersionException.class);
  }

  @Test
  void messageIsOneLine() {
    assertThatThrownBy(() -> Version.parse("1.0\nfoo"))
        .hasMessage("invalid version '1.0\\u000afoo': not a PEP 440 version");
  }

  @ParameterizedTest
  @CsvSource({
    // version,                  public,                    local,   pre,   post,  dev
    "1.0,                        1.0,                       '',      false, false, false",
    "1.0a1,                      1.0a1,                     '',      true,  false, false",
    "1.0.dev0,                   1.0.dev0,                  '',      true,  false, true",
    "1.0.post1,                  1.0.post1,                 '',      false, true,  false",
    "1.0.post1.dev2,             1.0.post1.dev2,            '',      true,  true,  true",
    "2.1.0+cu121,                2.1.0,                     cu121,   false, false, false",
    "1!2.0rc1.post2.dev3+ubuntu-1, 1!2.0rc1.post2.dev3,     ubuntu.1, true, true,  true",
  })
  void exposesSegments(
      String text, String publicVersion, String local, boolean pre, boolean post, boolean dev) {
    Version version = Version.parse(text);

    assertThat(version.publicVersion()).isEqualTo(publicVersion);
    assertThat(version.local().orElse("")).isEqualTo(local);
    assertThat(version.isPreRelease()).isEqualTo(pre);
    assertThat(version.isPostRelease()).isEqualTo(post);
    assertThat(version.isDevRelease()).isEqualTo(dev);
  }

  @Test
  void exposesEpochAndRelease() {
    Version version = Version.parse("3!2024.01.20240101123456");

    assertThat(version.epoch()).isEqualTo(3);
    assertThat(version.release()).containsExactly(2024L, 1L, 20240101123456L);
    assertThat(Version.parse("1.0").epoch()).isZero();
  }
}
