package dev.wheelhouse.packaging.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.packaging.ProjectName;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {
  private static final Map<String, String> PYTHON_3_12_LINUX =
      Map.of(
          "python_version", "3.12",
          "python_full_version", "3.12.1",
          "sys_platform", "linux",
          "platform_machine", "x86_64",
          "os_name", "posix");

  // Columns: requirement as written, name, extras (comma-separated), specifiers, url, marker.
  // Most come from PEP 508's examples; the parts agree with packaging.requirements.Requirement.
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "requests                             | requests | ``        | ``       | `` | ``",
        "A                                    | a        | ``        | ``       | `` | ``",
        "A.B-C_D                              | a-b-c-d  | ``        | ``       | `` | ``",
        "aa                                   | aa       | ``        | ``       | `` | ``",
        "name                                 | name     | ``        | ``       | `` | ``",
        "  name  \t                           | name     | ``        | ``       | `` | ``",
        "name<=1                              | name     | ``        | <=1      | `` | ``",
        "name>=3                              | name     | ``        | >=3      | `` | ``",
        "name>=3,<2                           | name     | ``        | >=3,<2   | `` | ``",
        "name >= 3 , < 2                      | name     | ``        | >=3,<2   | `` | ``",
        "name (>=3)                           | name     | ``        | >=3      | `` | ``",
        "name( >=3 , <4 )                     | name     | ``        | >=3,<4   | `` | ``",
        "name ()                              | name     | ``        | ``       | `` | ``",
        "name>=1.0,                           | name     | ``        | >=1.0    | `` | ``",
        "name==1.0.*                          | name     | ``        | ==1.0.*  | `` | ``",
        "name==2.1.0+cu121                    | name     | ``        | ==2.1.0+cu121 | `` | ``",
        "name===weird-1                       | name     | ``        | ===weird-1 | `` | ``",
        "Requests[Security,SOCKS]==2.31.0     | requests | security,socks | ==2.31.0 | `` | ``",
        "name[fred,bar] > 2                   | name     | bar,fred  | >2       | `` | ``",
        "name [ a , b ]                       | name     | a,b       | ``       | `` | ``",
        "name[Foo_Bar]                        | name     | foo-bar   | ``       | `` | ``",
        "name[]                               | name     | ``        | ``       | `` | ``",
        "name[quux, strange];python_version<'2.7' and platform_version=='2' "
            + "| name | quux,strange | `` | `` | python_version < \"2.7\" and platform_version == \"2\"",
        "name; os_name=='a' or os_name=='b'   | name     | ``        | ``       | `` "
            + "| os_name == \"a\" or os_name == \"b\"",
        "name; os_name=='a' and os_name=='b' or os_name=='c' | name | `` | `` | `` "
            + "| os_name == \"a\" and os_name == \"b\" or os_name == \"c\"",
        "name; os_name=='a' and (os_name=='b' or os_name=='c') | name | `` | `` | `` "
            + "| os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")",
        "name>=1.0 ; python_version < '3.8'   | name     | ``        | >=1.0    | `` "
            + "| python_version < \"3.8\"",
        "name==1.0\t; os_name == 'nt'         | name     | ``        | ==1.0    | `` "
            + "| os_name == \"nt\"",
        "name; extra == 'Test_X'              | name     | ``        | ``       | `` "
            + "| extra == \"test-x\"",
        "name@http://foo.com                  | name     | ``        | ``       | http://foo.com "
            + "| ``",
        "name [fred,bar] @ http://foo.com ; python_version=='2.7' | name | bar,fred | `` "
            + "| http://foo.com | python_version == \"2.7\"",
        "pip @ https://github.com/pypa/pip/archive/22.0.2.zip | pip | `` | `` "
            + "| https://github.com/pypa/pip/archive/22.0.2.zip | ``",
        "name[extra] @ git+https://github.com/a/b.git@v1.0#egg=name | name | extra | `` "
            + "| git+https://github.com/a/b.git@v1.0#egg=name | ``",
        "name @ file:///tmp/name-1.0.tar.gz   | name     | ``        | ``       "
            + "| file:///tmp/name-1.0.tar.gz | ``",
        "aiohttp[speedups]>=3.9,<4; python_version>='3.8' and platform_machine!='armv7l' "
            + "| aiohttp | speedups | >=3.9,<4 | `` "
            + "| python_version >= \"3.8\" and platform_machine != \"armv7l\"",
      })
  void parses(
      String text, String name, String extras, String specifiers, String url, String marker) {
    Requirement requirement = Requirement.parse(text);
    assertThat(requirement.name()).isEqualTo(ProjectName.of(name));
    assertThat(String.join(",", requirement.extras())).isEqualTo(extras);
    assertThat(requirement.specifiers()).hasToString(specifiers);
    assertThat(requirement.url().orElse("")).isEqualTo(url);
    assertThat(requirement.marker().map(Marker::toString).orElse("")).isEqualTo(marker);
  }

  // Columns: requirement as written, normalized form (which parses back to itself).
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "Requests [SOCKS, Security] >= 2.31 , < 3 | requests[security,socks]>=2.31,<3",
        "name (>=1.0)                             | name>=1.0",
        "name==v1.0RC1                            | name==1.0rc1",
        "name;os_name=='posix'                    | name; os_name == \"posix\"",
        "name @ https://x.org/n.whl               | name @ https://x.org/n.whl",
        "name@https://x.org/n.whl ; os_name=='nt' | name @ https://x.org/n.whl ; os_name == \"nt\"",
      })
  void normalizes(String text, String normalized) {
    Requirement requirement = Requirement.parse(text);
    assertThat(requirement).hasToString(normalized);
    assertThat(Requirement.parse(normalized)).isEqualTo(requirement);
  }

  // Columns: requirement text, the start of the error message after the quoted requirement.
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``                       | expected a project name at column 1",
        "-name                    | expected a project name at column 1",
        "name-                    | expected a version specifier, '@' and a URL, or ';' and a marker",
        "na$me                    | expected a version specifier, '@' and a URL, or ';' and a marker",
        "name>=1.0 <2             | expected ',' and a version specifier, or ';' and a marker",
        "name>=1.0.*              | expected ',' and a version specifier, or ';' and a marker",
        "name<1.0+local           | expected ',' and a version specifier, or ';' and a marker",
        "name~=1                  | expected a version specifier",
        "name>=1.0)               | expected ',' and a version specifier, or ';' and a marker",
        "name(>=1.0               | expected ')' after the specifiers",
        "name[a b]                | expected ',' or ']' after the extras",
        "name[a,]                 | expected an extra name after ','",
        "name[a                   | expected ',' or ']' after the extras",
        "name;                    | expected a marker variable or a quoted string",
        "name>=1.0;               | expected a marker variable or a quoted string",
        "name; python_version >= '3.8' or | expected a marker variable or a quoted string",
        "name; python_version >= '3.8' xor | expected the end of the requirement",
        "name @                   | expected a URL after '@'",
        "name>=1.0 @ http://x     | expected ',' and a version specifier, or ';' and a marker",
        "name[x]>=1[y]            | expected ',' and a version specifier, or ';' and a marker",
        "name>=1.0 # comment      | expected ',' and a version specifier, or ';' and a marker",
        // a marker after a URL needs a space before the semicolon, since the URL runs to one
        "name @ https://x.org/n.whl; os_name=='nt' | expected ';' and a marker",
      })
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> Requirement.parse(text))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageStartingWith("invalid requirement ")
        .hasMessageContaining(": " + reason)
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "name>=1", "name[extra]"})
  void rejectsOverlongNames(String suffix) {
    String text = "a".repeat(200) + suffix;
    assertThatThrownBy(() -> Requirement.parse(text))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageContaining("invalid project name")
        .hasMessageContaining("longer than 200 characters");
  }

  @Test
  void errorSaysWhere() {
    assertThatThrownBy(() -> Requirement.parse("name>=1.0 <2"))
        .hasMessage(
            "invalid requirement 'name>=1.0 <2': expected ',' and a version specifier, or ';' and"
                + " a marker at column 11, found '<2'");
  }

  // Columns: requirement, whether it applies to CPython 3.12 on x86-64 Linux.
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "name                                           | true",
        "name>=1.0                                      | true",
        "name; python_version >= '3.10'                 | true",
        "name; python_version < '3.10'                  | false",
        "name; sys_platform == 'win32'                  | false",
        "name; platform_machine == 'x86_64' and os_name == 'posix' | true",
        // no extras are requested, so extra-only requirements do not apply
        "name; extra == 'test'                          | false",
        "name @ https://x.org/n.whl ; python_version >= '3' | true",
      })
  void appliesTo(String text, boolean expected) {
    assertThat(Requirement.parse(text).appliesTo(PYTHON_3_12_LINUX)).isEqualTo(expected);
  }

  @Test
  void appliesToWithRequestedExtras() {
    Requirement requirement = Requirement.parse("pytest; extra == 'Test'");
    assertThat(requirement.appliesTo(PYTHON_3_12_LINUX, Set.of("test"))).isTrue();
    assertThat(requirement.appliesTo(PYTHON_3_12_LINUX, Set.of("docs"))).isFalse();
  }

  @Test
  void constructorNormalizesExtrasAndRefusesUrlWithSpecifiers() {
    Requirement requirement =
        new Requirement(
            ProjectName.of("Name"),
            Set.of("B_Extra", "a"),
            SpecifierSet.any(),
            Optional.empty(),
            Optional.empty());
    assertThat(requirement.extras()).containsExactly("a", "b-extra");
    assertThatThrownBy(
            () ->
                new Requirement(
                    ProjectName.of("name"),
                    Set.of(),
                    SpecifierSet.parse(">=1"),
                    Optional.of("https://x.org/n.whl"),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both a URL and version specifiers");
  }

  @Test
  void equalRequirementsAreEqual() {
    assertThat(Requirement.parse("Foo_Bar [X] >= 1.0 ; os_name == 'nt'"))
        .isEqualTo(Requirement.parse("foo-bar[x]>=1.0;os_name==\"nt\""))
        .hasSameHashCodeAs(Requirement.parse("foo-bar[x]>=1.0;os_name==\"nt\""));
  }
}
