package dev.wheelhouse.packaging.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wheelhouse.packaging.requirements.RequirementsFile.IncludeReader;
import dev.wheelhouse.packaging.requirements.RequirementsFile.Included;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsFileTest {
  /** An environment without variables. */
  private static String noVariable(String name) {
    return null;
  }

  /** An include reader for files that include nothing. */
  private static Included noInclude(String including, String reference) {
    throw new AssertionError("unexpected include of " + reference + " from " + including);
  }

  /** Files by name in one directory; records which includes were read. */
  private static final class InMemoryFiles implements IncludeReader {
    private final Map<String, String> files;
    private final List<String> reads = new ArrayList<>();

    InMemoryFiles(Map<String, String> files) {
      this.files = files;
    }

    @Override
    public Included read(String includingFile, String reference) {
      reads.add(includingFile + " -> " + reference);
      String name = reference.startsWith("./") ? reference.substring(2) : reference;
      String text = files.get(name);
      if (text == null) {
        throw new IllegalStateException("no such file " + name);
      }
      return new Included(name, text);
    }
  }

  private static RequirementsFile parse(String text) {
    return RequirementsFile.parse(
        "requirements.txt",
        text,
        RequirementsFileTest::noVariable,
        RequirementsFileTest::noInclude);
  }

  private static List<String> requirementTexts(List<RequirementLine> lines) {
    return lines.stream().map(line -> line.requirement().toString()).toList();
  }

  @Test
  void readsRequirementsWithSourcesHashesAndMarkers() {
    RequirementsFile file =
        parse(
            """
            # Pinned with pip-compile
            requests[socks]==2.31.0 ; python_version >= "3.8" \\
                --hash=sha256:58CD2187C01E70E6E26505BCA751777AA9F2EE0B7F4300988B709F44E013003F \\
                --hash sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1
            numpy==1.26.4  # the last 1.x

            torch==2.1.0+cu121; platform_machine == "x86_64"
            foo @ https://example.org/foo-1.0.tar.gz#sha256=abc
            """);

    assertThat(file.requirements())
        .extracting(line -> line.requirement().toString(), RequirementLine::source)
        .containsExactly(
            tuple("requests[socks]==2.31.0; python_version >= \"3.8\"", "requirements.txt:2"),
            tuple("numpy==1.26.4", "requirements.txt:5"),
            tuple("torch==2.1.0+cu121; platform_machine == \"x86_64\"", "requirements.txt:7"),
            tuple("foo @ https://example.org/foo-1.0.tar.gz#sha256=abc", "requirements.txt:8"));
    assertThat(file.requirements().get(0).hashes())
        .containsExactly(
            "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
            "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1");
    assertThat(file.requirements().get(1).hashes()).isEmpty();
    assertThat(file.requirements()).noneMatch(RequirementLine::constraint);
    assertThat(file.constraints()).isEmpty();
    assertThat(file.indexUrl()).isEmpty();
    assertThat(file.extraIndexUrls()).isEmpty();
    assertThat(file.ignoredOptions()).isEmpty();
  }

  // Columns: file text (¶ for line breaks), the requirements read from it ('; '-separated).
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // continuations join without a space, and the backslash goes
        "name>=1.0,\\¶<2                           | name>=1.0,<2",
        "name \\¶>=1.0 \\¶; os_name == 'nt'        | name>=1.0; os_name == \"nt\"",
        // a continuation at the end of the file still ends the line
        "name>=1.0 \\                               | name>=1.0",
        // a comment line ends a continued line
        "name \\¶# >=99¶other                      | name; other",
        // a comment after a backslash is part of the comment, so the line continues
        "name # comment \\¶other¶third            | name; third",
        // comments need whitespace (or the start of the line) before '#'
        "name   # comment                            | name",
        "name¶\t# indented comment                   | name",
        "foo @ https://x.org/foo.zip#egg=foo         | foo @ https://x.org/foo.zip#egg=foo",
        // blank lines and Windows line endings
        "name==1.0\r¶\r¶other\r¶             | name==1.0; other",
        "\uFEFFname                                   | name",
        // ${VAR}: only upper case, digits and underscores; unknown or empty ones stay
        "name==${VERSION}                            | name==1.2.3",
        "name==${VERSION}; os_name == '${OS_NAME}'   | name==1.2.3; os_name == \"${OS_NAME}\"",
        "name; os_name == '${EMPTY}'                 | name; os_name == \"${EMPTY}\"",
        "${NAME_1}>=1                                | from-variable>=1",
        "${lower}>=1                                 | ERROR",
        "$VERSION                                    | ERROR",
      })
  void readsLinesAsPipDoes(String text, String expected) {
    Map<String, String> variables =
        Map.of("VERSION", "1.2.3", "NAME_1", "from-variable", "EMPTY", "", "lower", "x");
    RequirementsFile file;
    try {
      file =
          RequirementsFile.parse(
              "r.txt", text.replace("¶", "\n"), variables::get, RequirementsFileTest::noInclude);
    } catch (RequirementSyntaxException e) {
      assertThat("ERROR").as(e.getMessage()).isEqualTo(expected);
      return;
    }
    assertThat(String.join("; ", requirementTexts(file.requirements()))).isEqualTo(expected);
  }

  @Test
  void sourceIsTheFirstPhysicalLineOfAContinuedLine() {
    RequirementsFile file = parse("a\n\nb \\\n  >=1 \\\n  ,<2\nc\n");
    assertThat(file.requirements())
        .extracting(RequirementLine::source)
        .containsExactly("requirements.txt:1", "requirements.txt:3", "requirements.txt:6");
  }

  @Test
  void resolvesIncludesAndConstraints() {
    InMemoryFiles files =
        new InMemoryFiles(
            Map.of(
                "base.txt", "six==1.16.0\n-c constraints.txt\n",
                "constraints.txt", "urllib3<2 --hash=sha256:AA\n-r nested.txt\n",
                "nested.txt", "idna==3.6\n",
                "dev.txt", "pytest>=8\n"));
    RequirementsFile file =
        RequirementsFile.parse(
            "requirements.txt",
            "-r ./base.txt\nrequests\n--requirement=dev.txt\n",
            RequirementsFileTest::noVariable,
            files);

    assertThat(file.requirements())
        .extracting(
            line -> line.requirement().toString(),
            RequirementLine::source,
            RequirementLine::constraint)
        .containsExactly(
            tuple("six==1.16.0", "base.txt:1", false),
            // pip: -r inside a constraints file adds requirements
            tuple("idna==3.6", "nested.txt:1", false),
            tuple("requests", "requirements.txt:2", false),
            tuple("pytest>=8", "dev.txt:1", false));
    assertThat(file.constraints())
        .extracting(
            line -> line.requirement().toString(),
            RequirementLine::source,
            RequirementLine::constraint,
            RequirementLine::hashes)
        .containsExactly(tuple("urllib3<2", "constraints.txt:1", true, List.of("sha256:aa")));
    assertThat(files.reads)
        .containsExactly(
            "requirements.txt -> ./base.txt",
            "base.txt -> constraints.txt",
            "constraints.txt -> nested.txt",
            "requirements.txt -> dev.txt");
  }

  // Columns: include line; every spelling names the file other.txt.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "-r other.txt                | false",
        "-rother.txt                 | false",
        "--requirement other.txt     | false",
        "--requirement=other.txt     | false",
        "-r 'other.txt'              | false",
        "-c other.txt                | true",
        "--constraint other.txt      | true",
        "--constraint=other.txt      | true",
      })
  void includeSpellings(String line, boolean constraint) {
    InMemoryFiles files = new InMemoryFiles(Map.of("other.txt", "name\n"));
    RequirementsFile file =
        RequirementsFile.parse("r.txt", line, RequirementsFileTest::noVariable, files);
    assertThat(constraint ? file.constraints() : file.requirements()).hasSize(1);
    assertThat(constraint ? file.requirements() : file.constraints()).isEmpty();
    assertThat(files.reads).containsExactly("r.txt -> other.txt");
  }

  @Test
  void detectsIncludeCycles() {
    InMemoryFiles files =
        new InMemoryFiles(
            Map.of(
                "a.txt", "one\n-r b.txt\n",
                "b.txt", "two\n\n-c ./a.txt\n"));
    assertThatThrownBy(
            () ->
                RequirementsFile.parse(
                    "a.txt", files.files.get("a.txt"), RequirementsFileTest::noVariable, files))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessage("b.txt:3: include cycle: a.txt -> b.txt -> a.txt");
  }

  @Test
  void detectsFilesIncludingThemselves() {
    InMemoryFiles files = new InMemoryFiles(Map.of("self.txt", "-r self.txt\n"));
    assertThatThrownBy(
            () ->
                RequirementsFile.parse(
                    "self.txt", "-r self.txt", RequirementsFileTest::noVariable, files))
        .hasMessage("self.txt:1: include cycle: self.txt -> self.txt");
  }

  @Test
  void includingTheSameFileTwiceIsNoCycle() {
    InMemoryFiles files = new InMemoryFiles(Map.of("common.txt", "six\n"));
    RequirementsFile file =
        RequirementsFile.parse(
            "r.txt", "-r common.txt\n-c common.txt\n", RequirementsFileTest::noVariable, files);
    assertThat(file.requirements()).hasSize(1);
    assertThat(file.constraints()).hasSize(1);
  }

  @Test
  void errorsInIncludedFilesNameThatFile() {
    InMemoryFiles files = new InMemoryFiles(Map.of("base.txt", "six\n\nnot a requirement\n"));
    assertThatThrownBy(
            () ->
                RequirementsFile.parse(
                    "requirements.txt",
                    "a\n-r base.txt\n",
                    RequirementsFileTest::noVariable,
                    files))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageStartingWith("base.txt:3: invalid requirement 'not a requirement': ");
  }

  @Test
  void collectsIndexOptionsAsPipAppliesThem() {
    RequirementsFile file =
        parse(
            """
            --extra-index-url https://dropped.example.org/simple
            -i https://first.example.org/simple
            --index-url=https://index.example.org/simple
            --extra-index-url https://extra1.example.org/simple
            --extra-index-url=https://extra2.example.org/simple
            name
            """);
    assertThat(file.indexUrl()).contains("https://index.example.org/simple");
    assertThat(file.extraIndexUrls())
        .containsExactly("https://extra1.example.org/simple", "https://extra2.example.org/simple");
  }

  @Test
  void indexOptionsInIncludesApplyInFileOrder() {
    InMemoryFiles files =
        new InMemoryFiles(Map.of("base.txt", "-i https://base.example.org/simple\n"));
    RequirementsFile file =
        RequirementsFile.parse(
            "r.txt",
            "-i https://top.example.org/simple\n-r base.txt\n--extra-index-url https://x.org/s\n",
            RequirementsFileTest::noVariable,
            files);
    assertThat(file.indexUrl()).contains("https://base.example.org/simple");
    assertThat(file.extraIndexUrls()).containsExactly("https://x.org/s");
  }

  @Test
  void recordsOptionsItDoesNotActOn() {
    RequirementsFile file =
        parse(
            """
            --find-links https://example.org/wheels
            -f ./wheels
            --pre
            --no-binary :all: --only-binary=numpy
            --prefer-binary
            --trusted-host example.org
            --require-hashes
            --use-feature=truststore
            --no-index
            name --config-settings editable_mode=compat
            """);
    assertThat(file.ignoredOptions())
        .containsExactly(
            "--find-links https://example.org/wheels",
            "-f ./wheels",
            "--pre",
            "--no-binary :all:",
            "--only-binary=numpy",
            "--prefer-binary",
            "--trusted-host example.org",
            "--require-hashes",
            "--use-feature=truststore",
            "--no-index",
            "--config-settings editable_mode=compat");
    assertThat(requirementTexts(file.requirements())).containsExactly("name");
  }

  @Test
  void keepsEditablesPathsAndUrlsWithTheirSource() {
    RequirementsFile file =
        parse(
            """
            -e ./local/project
            --editable=git+https://github.com/org/repo.git#egg=repo
            ./local/dir
            ../sibling
            local/dir
            /abs/path/pkg-1.0.tar.gz
            https://example.org/x-1.0-py3-none-any.whl
            git+https://github.com/org/repo.git@v1.0#egg=repo
            bar-1.0-py3-none-any.whl
            bar-1.0.tar.gz; python_version >= "3.8"
            name @ https://example.org/name-1.0-py3-none-any.whl
            """);
    assertThat(file.ignoredOptions())
        .containsExactly(
            "requirements.txt:1: -e ./local/project",
            "requirements.txt:2: --editable=git+https://github.com/org/repo.git#egg=repo",
            "requirements.txt:3: ./local/dir",
            "requirements.txt:4: ../sibling",
            "requirements.txt:5: local/dir",
            "requirements.txt:6: /abs/path/pkg-1.0.tar.gz",
            "requirements.txt:7: https://example.org/x-1.0-py3-none-any.whl",
            "requirements.txt:8: git+https://github.com/org/repo.git@v1.0#egg=repo",
            "requirements.txt:9: bar-1.0-py3-none-any.whl",
            "requirements.txt:10: bar-1.0.tar.gz; python_version >= \"3.8\"");
    assertThat(file.requirements())
        .extracting(line -> line.requirement().url().orElseThrow(), RequirementLine::source)
        .containsExactly(
            tuple("https://example.org/name-1.0-py3-none-any.whl", "requirements.txt:11"));
  }

  // Columns: file text (¶ for line breaks), the expected message.
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "ok¶not a requirement     | r.txt:2: invalid requirement 'not a requirement': expected a"
            + " version specifier, '@' and a URL, or ';' and a marker at column 5, found 'a"
            + " requirement'",
        "ok¶¶name>=1.0 \\¶  <2   | r.txt:3: invalid requirement 'name>=1.0   <2': expected ','"
            + " and a version specifier, or ';' and a marker at column 13, found '<2'",
        "--frobnicate               | r.txt:1: unknown option --frobnicate",
        "-x                         | r.txt:1: unknown option -x",
        "--no-deps                  | r.txt:1: unknown option --no-deps",
        "-r                         | r.txt:1: --requirement needs a value",
        "--index-url                | r.txt:1: --index-url needs a value",
        "--pre=yes                  | r.txt:1: --pre takes no value",
        "--hash=sha256:ab           | r.txt:1: --hash belongs after a requirement on the same line",
        "name --pre                 | r.txt:1: --pre cannot follow a requirement on the same line",
        "name --hash=md5:abcd       | r.txt:1: --hash algorithm 'md5' is not sha256, sha384 or"
            + " sha512",
        "name --hash=abcd           | r.txt:1: --hash needs an algorithm and a digest, like"
            + " --hash=sha256:abcde..., not 'abcd'",
        "name --hash=sha256:xyz     | r.txt:1: --hash digest 'sha256:xyz' is not hexadecimal",
        "name --hash                | r.txt:1: --hash needs a value",
        "-i 'https://x.org/simple   | r.txt:1: no closing quotation",
        "name==1.0 extra            | r.txt:1: invalid requirement 'name==1.0 extra': expected ','"
            + " and a version specifier, or ';' and a marker at column 11, found 'extra'",
      })
  void errorsNameFileAndLine(String text, String message) {
    assertThatThrownBy(
            () ->
                RequirementsFile.parse(
                    "r.txt",
                    text.replace("¶", "\n"),
                    RequirementsFileTest::noVariable,
                    RequirementsFileTest::noInclude))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void readErrorsOfTheIncludeReaderPropagate() {
    InMemoryFiles files = new InMemoryFiles(Map.of());
    assertThatThrownBy(
            () ->
                RequirementsFile.parse(
                    "r.txt", "-r missing.txt", RequirementsFileTest::noVariable, files))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no such file missing.txt");
  }

  @Test
  void emptyFileHasNothing() {
    RequirementsFile file = parse("\n# only a comment\n   \n");
    assertThat(file.requirements()).isEmpty();
    assertThat(file.constraints()).isEmpty();
    assertThat(file.ignoredOptions()).isEmpty();
  }
}
