package dev.wheelhouse.packaging.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkerTest {
  /** CPython 3.12.1 on x86-64 Linux, as packaging.markers.default_environment() reports it. */
  private static final Map<String, String> LINUX =
      Map.ofEntries(
          Map.entry("implementation_name", "cpython"),
          Map.entry("implementation_version", "3.12.1"),
          Map.entry("os_name", "posix"),
          Map.entry("platform_machine", "x86_64"),
          Map.entry("platform_release", "5.15.0-91-generic"),
          Map.entry("platform_system", "Linux"),
          Map.entry("platform_version", "#101-Ubuntu SMP"),
          Map.entry("python_full_version", "3.12.1"),
          Map.entry("platform_python_implementation", "CPython"),
          Map.entry("python_version", "3.12"),
          Map.entry("sys_platform", "linux"));

  /** CPython 3.13.0rc2 on Windows on ARM. */
  private static final Map<String, String> WINDOWS =
      with(
          LINUX,
          "python_version=3.13",
          "python_full_version=3.13.0rc2",
          "implementation_version=3.13.0rc2",
          "platform_machine=ARM64",
          "platform_release=11",
          "platform_system=Windows",
          "sys_platform=win32",
          "os_name=nt");

  private static Map<String, String> with(Map<String, String> base, String... overrides) {
    Map<String, String> environment = new HashMap<>(base);
    for (String override : overrides) {
      int equals = override.indexOf('=');
      environment.put(override.substring(0, equals), override.substring(equals + 1));
    }
    return environment;
  }

  // Columns: marker, whether it holds on LINUX, whether it holds on WINDOWS. Results agree with
  // packaging.markers.Marker.evaluate for the same environments.
  @ParameterizedTest(name = "{0}: linux {1}, windows {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // version comparisons (PEP 440 semantics, zero-padded)
        "python_version >= \"3.10\"                      | true  | true",
        "python_version < \"3.10\"                       | false | false",
        "python_version > \"3.12\"                       | false | true",
        "python_version == \"3.12.0\"                    | true  | false",
        "python_version == \"3.*\"                       | true  | true",
        "python_version != \"3.12.*\"                    | false | true",
        "python_version ~= \"3.10\"                      | true  | true",
        "python_version === \"3.12\"                     | true  | false",
        "python_full_version >= \"3.13.0\"               | false | false",
        "python_full_version >= \"3.13.0rc1\"            | false | true",
        "python_full_version < \"3.13\"                  | true  | false",
        "implementation_version >= \"3.12\"              | true  | true",
        // the variable may be on the right
        "\"3.10\" <= python_version                      | true  | true",
        "\"3.13\" > python_version                       | true  | false",
        // string comparisons
        "sys_platform == \"linux\"                       | true  | false",
        "sys_platform != \"win32\"                       | true  | false",
        "platform_system == \"Windows\"                  | false | true",
        "platform_machine == \"x86_64\"                  | true  | false",
        "platform_python_implementation == \"CPython\"   | true  | true",
        "implementation_name == \"cpython\"              | true  | true",
        "platform_version == \"#101-Ubuntu SMP\"         | true  | true",
        // in and not in test for substrings
        "\"linux\" in sys_platform                       | true  | false",
        "\"lin\" in sys_platform                         | true  | false",
        "sys_platform in \"win32 cygwin\"                | false | true",
        "sys_platform not in \"win32 cygwin\"            | true  | false",
        "python_version in \"3.12 3.13\"                 | true  | true",
        // strings that are no versions: <= and >= mean equality, < and > never hold (packaging)
        "platform_release >= \"5.0\"                     | false | true",
        "platform_release < \"6\"                        | false | false",
        "platform_system <= \"Linux\"                    | true  | false",
        "platform_system > \"A\"                         | false | false",
        // boolean structure: and binds tighter than or
        "os_name == \"nt\" or python_version >= \"3.10\" and platform_machine == \"x86_64\" "
            + "| true | true",
        "(os_name == \"nt\" or python_version >= \"3.10\") and platform_machine == \"x86_64\" "
            + "| true | false",
        "os_name == \"nt\" and (platform_machine == \"aarch64\" or platform_machine == \"ARM64\") "
            + "| false | true",
        "platform_machine == \"aarch64\" or platform_machine == \"arm64\" | false | false",
        "((python_version >= \"3.10\"))                  | true  | true",
        // PEP 508's own example
        "python_version>='3.10' and(os_name=='posix'or os_name=='nt') | true | true",
        // literals on both sides
        "\"a\" == \"a\"                                  | true  | true",
      })
  void evaluates(String marker, boolean onLinux, boolean onWindows) {
    Marker parsed = Marker.parse(marker);
    assertThat(parsed.evaluate(LINUX, Set.of())).as("linux").isEqualTo(onLinux);
    assertThat(parsed.evaluate(WINDOWS, Set.of())).as("windows").isEqualTo(onWindows);
  }

  // Columns: marker, requested extras (space-separated), whether it holds on LINUX.
  @ParameterizedTest(name = "{0} with extras [{1}]: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "extra == \"test\"                              | ''          | false",
        "extra != \"test\"                              | ''          | true",
        "extra == \"test\"                              | test        | true",
        "extra == \"test\"                              | doc test    | true",
        "extra == \"test\"                              | doc         | false",
        "\"test\" == extra                              | test        | true",
        // PEP 685: both sides normalized
        "extra == \"Test_Extra\"                        | test-extra  | true",
        "extra == \"test-extra\"                        | Test.Extra  | true",
        "extra == \"doc\" or extra == \"test\"          | test        | true",
        // the whole marker is tried once per extra
        "extra == \"doc\" and extra == \"test\"         | doc test    | false",
        "python_version >= \"3.13\" and extra == \"gpu\" | gpu        | false",
        "python_version >= \"3.10\" and extra == \"gpu\" | gpu        | true",
        "python_version >= \"3.10\"                     | gpu         | true",
        // PEP 751 set variables
        "\"gpu\" in extras                              | gpu         | true",
        "\"GPU\" in extras                              | gpu         | true",
        "\"gpu\" not in extras                          | ''          | true",
      })
  void evaluatesExtras(String marker, String extras, boolean expected) {
    Set<String> requested = extras.isEmpty() ? Set.of() : Set.of(extras.split(" ", -1));
    assertThat(Marker.parse(marker).evaluate(LINUX, requested)).isEqualTo(expected);
  }

  @Test
  void evaluatesDependencyGroups() {
    Marker marker = Marker.parse("'dev' in dependency_groups");
    assertThat(marker.evaluate(LINUX, Set.of(), Set.of("Dev"))).isTrue();
    assertThat(marker.evaluate(LINUX, Set.of(), Set.of("docs"))).isFalse();
    assertThat(marker.evaluate(LINUX, Set.of())).isFalse();
  }

  // Columns: marker as written, normalized form.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "python_version>='3.10'                | python_version >= \"3.10\"",
        "  python_version  <  \"3.10\"  \t     | python_version < \"3.10\"",
        "python_version>='3.10'and(os_name=='posix'or os_name=='nt') "
            + "| python_version >= \"3.10\" and (os_name == \"posix\" or os_name == \"nt\")",
        "((os_name == 'nt'))                   | os_name == \"nt\"",
        "(os_name == 'nt' or os_name == 'posix') | os_name == \"nt\" or os_name == \"posix\"",
        "os_name == 'a' and ((os_name == 'b' or os_name == 'c')) "
            + "| os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")",
        "extra == 'Test_Extra'                 | extra == \"test-extra\"",
        "'Test.Extra' == extra                 | \"test-extra\" == extra",
        "sys_platform not  in 'win32 cygwin'   | sys_platform not in \"win32 cygwin\"",
        "platform_version == 'say \"hi\"'      | platform_version == 'say \"hi\"'",
        "'GPU' in extras                       | \"gpu\" in extras",
      })
  void normalizes(String written, String normalized) {
    Marker marker = Marker.parse(written);
    assertThat(marker).hasToString(normalized);
    assertThat(Marker.parse(marker.toString())).isEqualTo(marker).hasToString(normalized);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "python_version",
        "python_version >= ",
        "python_version => \"3\"",
        "python_version notin \"3\"",
        "python_version >= \"3.10\" and",
        "python_version >= \"3.10\" or",
        "(python_version >= \"3.10\"",
        "python_version >= \"3.10\")",
        "python_version >= \"3.10\" AND os_name == \"nt\"",
        "python_version >= 3.10",
        "python_version >= \"3.10",
        "foo == \"bar\"",
        // legacy names are not PEP 508's
        "os.name == \"posix\"",
        "python_implementation == \"CPython\"",
        // the set variables only follow in / not in after a string
        "extras == \"gpu\"",
        "\"gpu\" == extras",
        "python_version in extras",
      })
  void rejectsInvalidMarkers(String text) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageStartingWith("invalid marker '")
        .hasMessageNotContaining("\n");
  }

  @Test
  void errorSaysWhere() {
    assertThatThrownBy(() -> Marker.parse("python_version >= \"3\" xor os_name == \"nt\""))
        .hasMessage(
            "invalid marker 'python_version >= \"3\" xor os_name == \"nt\"': expected 'and', 'or'"
                + " or the end of the marker at column 23, found 'xor os_name == \"nt\"'");
  }

  @Test
  void missingVariableIsAnError() {
    Marker marker = Marker.parse("platform_machine == \"x86_64\"");
    assertThatThrownBy(() -> marker.evaluate(Map.of("python_version", "3.12"), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("platform_machine is missing");
  }

  @Test
  void compatibleReleaseOfNonVersionsIsAnError() {
    Marker marker = Marker.parse("platform_machine ~= \"x86\"");
    assertThatThrownBy(() -> marker.evaluate(LINUX, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("undefined");
  }

  @Test
  void shortCircuitsLikePython() {
    // The missing variable is never looked at once the first operand decides.
    Marker marker = Marker.parse("os_name == \"posix\" or platform_machine == \"x\"");
    assertThat(marker.evaluate(Map.of("os_name", "posix"), Set.of())).isTrue();
  }

  @Test
  void equalityFollowsTheNormalizedText() {
    assertThat(List.of(Marker.parse("os_name=='nt'"), Marker.parse("os_name == \"nt\"")))
        .allSatisfy(m -> assertThat(m).isEqualTo(Marker.parse("(os_name == 'nt')")))
        .allSatisfy(m -> assertThat(m).hasSameHashCodeAs(Marker.parse("os_name == 'nt'")));
    assertThat(Marker.parse("os_name == 'nt'")).isNotEqualTo(Marker.parse("os_name != 'nt'"));
  }
}
