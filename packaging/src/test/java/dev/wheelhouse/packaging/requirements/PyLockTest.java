package dev.wheelhouse.packaging.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wheelhouse.packaging.requirements.PyLock.LockedFile;
import dev.wheelhouse.packaging.requirements.PyLock.LockedPackage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyLockTest {
  /** Modelled on the example in PEP 751, with more platforms, an sdist and direct sources. */
  private static final String LOCK =
      """
      lock-version = '1.0'
      environments = ["sys_platform == 'win32'", "sys_platform == 'linux'"]
      requires-python = '>=3.10'
      created-by = 'mousebender'

      [[packages]]
      name = 'attrs'
      version = '25.1.0'
      requires-python = '>=3.8'
      index = 'https://pypi.org/simple'

      [[packages.wheels]]
      name = 'attrs-25.1.0-py3-none-any.whl'
      upload-time = 2025-01-25T11:30:10.164985+00:00
      url = 'https://files.pythonhosted.org/packages/fc/30/attrs-25.1.0-py3-none-any.whl'
      size = 63152
      hashes = {sha256 = 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'}

      [[packages.attestation-identities]]
      environment = 'release-pypi'
      kind = 'GitHub'
      repository = 'python-attrs/attrs'
      workflow = 'pypi-package.yml'

      [[packages]]
      name = 'NumPy'
      version = '2.2.3'
      index = 'https://pypi.org/simple'
      dependencies = []

      [packages.sdist]
      url = 'https://files.pythonhosted.org/packages/fb/90/numpy-2.2.3.tar.gz?download=1'
      size = 20262700
      hashes = {SHA256 = 'DBDC15F0C81611925F382DFA97B3BD0BC2C1CE19D4FE50482CB0DDC12BA30020'}

      [[packages.wheels]]
      name = 'numpy-2.2.3-cp312-cp312-win_amd64.whl'
      url = 'https://files.pythonhosted.org/packages/0a/6d/numpy-2.2.3-cp312-cp312-win_amd64.whl'
      size = 12626357
      hashes = {sha256 = '3c1ce9b5ac4fcb7b2ae6b4ea3ce3f0c8d37ae1d0dad5e2a05b1c1b7d1e0e6e8c'}

      [[packages.wheels]]
      url = 'https://files.pythonhosted.org/packages/1b/2c/numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl#sha256=abc'
      hashes.sha256 = '0d8e2b1f4bd2e5c4b6b1a3b7f2b4b7f2e1b9c3f2d8e7b6a5c4d3e2f1a0b9c8d7'
      hashes.sha512 = 'ABCDEF'

      [[packages.wheels]]
      path = 'wheels\\numpy-2.2.3-cp312-cp312-macosx_14_0_arm64.whl'
      hashes = {sha256 = '5b4a8f6e7c3d2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a'}

      [[packages]]
      name = 'colorama'
      version = '0.4.6'
      marker = "sys_platform == 'win32'"

      [[packages.wheels]]
      path = './wheels/colorama-0.4.6-py2.py3-none-any.whl'
      hashes = {sha256 = '4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6'}

      [[packages]]
      name = 'my-tool'
      [packages.vcs]
      type = 'git'
      url = 'https://github.com/example/my-tool.git'
      commit-id = '2c3bd0fc6b31f3b0ba5d0b7cb0f9a1bb67a3c3c0'

      [[packages]]
      name = 'local-lib'
      [packages.directory]
      path = './packages/local-lib'
      editable = true
      """;

  @Test
  void readsTheTopLevelKeys() {
    PyLock lock = PyLock.parse("pylock.toml", LOCK);
    assertThat(lock.lockVersion()).isEqualTo("1.0");
    assertThat(lock.requiresPython()).contains(">=3.10");
    assertThat(lock.environments())
        .containsExactly("sys_platform == 'win32'", "sys_platform == 'linux'");
    assertThat(lock.packages())
        .extracting(
            LockedPackage::name, LockedPackage::version, LockedPackage::hasVcsOrDirectorySource)
        .containsExactly(
            tuple("attrs", Optional.of("25.1.0"), false),
            tuple("numpy", Optional.of("2.2.3"), false),
            tuple("colorama", Optional.of("0.4.6"), false),
            tuple("my-tool", Optional.empty(), true),
            tuple("local-lib", Optional.empty(), true));
  }

  @Test
  void readsAWheelOnlyPackage() {
    LockedPackage attrs = PyLock.parse("pylock.toml", LOCK).packages().get(0);
    assertThat(attrs.index()).contains("https://pypi.org/simple");
    assertThat(attrs.marker()).isEmpty();
    assertThat(attrs.sdist()).isEmpty();
    assertThat(attrs.wheels())
        .containsExactly(
            new LockedFile(
                "attrs-25.1.0-py3-none-any.whl",
                Optional.of(
                    "https://files.pythonhosted.org/packages/fc/30/attrs-25.1.0-py3-none-any.whl"),
                Optional.empty(),
                Optional.of(63152L),
                Map.of(
                    "sha256", "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a")));
  }

  @Test
  void readsWheelsForSeveralPlatformsAndAnSdist() {
    LockedPackage numpy = PyLock.parse("pylock.toml", LOCK).packages().get(1);
    LockedFile sdist = numpy.sdist().orElseThrow();
    // The name defaults to the URL path's last segment, without query or fragment.
    assertThat(sdist.name()).isEqualTo("numpy-2.2.3.tar.gz");
    assertThat(sdist.size()).contains(20262700L);
    assertThat(sdist.hashes())
        .containsExactly(
            Map.entry(
                "sha256", "dbdc15f0c81611925f382dfa97b3bd0bc2c1ce19d4fe50482cb0ddc12ba30020"));
    assertThat(numpy.wheels())
        .extracting(LockedFile::name, file -> file.url().isPresent(), LockedFile::size)
        .containsExactly(
            tuple("numpy-2.2.3-cp312-cp312-win_amd64.whl", true, Optional.of(12626357L)),
            tuple(
                "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                true,
                Optional.empty()),
            // a Windows-style relative path
            tuple("numpy-2.2.3-cp312-cp312-macosx_14_0_arm64.whl", false, Optional.empty()));
    assertThat(numpy.wheels().get(1).hashes())
        .containsOnlyKeys("sha256", "sha512")
        .containsEntry("sha512", "abcdef");
    assertThat(numpy.wheels().get(2).path())
        .contains("wheels\\numpy-2.2.3-cp312-cp312-macosx_14_0_arm64.whl");
  }

  @Test
  void readsAMarkedPackage() {
    LockedPackage colorama = PyLock.parse("pylock.toml", LOCK).packages().get(2);
    Marker marker = colorama.marker().orElseThrow();
    assertThat(marker).hasToString("sys_platform == \"win32\"");
    assertThat(marker.evaluate(Map.of("sys_platform", "win32"), Set.of())).isTrue();
    assertThat(colorama.wheels())
        .singleElement()
        .satisfies(
            wheel -> {
              assertThat(wheel.name()).isEqualTo("colorama-0.4.6-py2.py3-none-any.whl");
              assertThat(wheel.path()).contains("./wheels/colorama-0.4.6-py2.py3-none-any.whl");
              assertThat(wheel.url()).isEmpty();
            });
  }

  @Test
  void readsDirectSources() {
    PyLock lock = PyLock.parse("pylock.toml", LOCK);
    assertThat(lock.packages().subList(3, 5))
        .allSatisfy(
            direct -> {
              assertThat(direct.hasVcsOrDirectorySource()).isTrue();
              assertThat(direct.sdist()).isEmpty();
              assertThat(direct.wheels()).isEmpty();
            });
  }

  @Test
  void readsAMinimalLock() {
    PyLock lock = PyLock.parse("min.toml", "lock-version = '1.3'\npackages = []\n");
    assertThat(lock.lockVersion()).isEqualTo("1.3");
    assertThat(lock.requiresPython()).isEmpty();
    assertThat(lock.environments()).isEmpty();
    assertThat(lock.packages()).isEmpty();
  }

  private static final String HEADER = "lock-version = '1.0'¶";
  private static final String HASH = "hashes = {sha256 = 'ab'}";

  // Columns: lock file text (¶ for line breaks), the message after "invalid lock file 'x.toml': ".
  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "packages = []                   | lock-version is required",
        "lock-version = 1.0¶packages = [] | lock-version must be a string",
        "lock-version = '2.0'¶packages = [] | lock-version '2.0' is not supported: only lock-version"
            + " 1.x is",
        "lock-version = '0.9'¶packages = [] | lock-version '0.9' is not supported: only"
            + " lock-version 1.x is",
        "lock-version = 'one'¶packages = [] | lock-version 'one' is not a version",
        "lock-version = '1.0'            | [[packages]] is required",
        "lock-version = '1.0'¶packages = 'numpy' | packages must be an array of tables",
        "lock-version = '1.0'¶environments = ['os_name ==']¶packages = [] | environments: invalid"
            + " marker 'os_name ==': expected a marker variable or a quoted string at column 11,"
            + " found end of text",
        "lock-version = '1.0'¶requires-python = '3.10'¶packages = [] | requires-python: invalid"
            + " version specifier '3.10': expected an operator",
        "lock-version = '1.0'¶lock-version = '1.1' | not valid TOML: ",
        "lock-version = '1.0¶                       | not valid TOML: ",
      })
  void rejectsInvalidLocks(String text, String message) {
    assertThatThrownBy(() -> PyLock.parse("x.toml", text.replace("¶", "\n")))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageStartingWith("invalid lock file 'x.toml': " + message)
        .hasMessageNotContaining("\n");
  }

  // Columns: the package's TOML after its [[packages]] line (¶ for line breaks), the message
  // after "invalid lock file 'x.toml': ".
  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "version = '1.0'                          | packages[0]: name is required",
        "name = 'bad name!'¶[packages.vcs]¶type = 'git' | package 'bad name!': invalid project name",
        "name = 'x'¶version = 'one'¶[packages.vcs]¶type = 'git' | package 'x': version 'one' is not"
            + " a PEP 440 version",
        "name = 'x'¶marker = 'os_name = 1'¶[packages.vcs]¶type = 'git' | package 'x': marker:"
            + " invalid marker 'os_name = 1'",
        "name = 'x'¶requires-python = '>=3.*'¶[packages.vcs]¶type = 'git' | package 'x':"
            + " requires-python: invalid version specifier '>=3.*'",
        "name = 'x'                               | package 'x': needs sdist or wheels, or one of"
            + " vcs, directory and archive",
        "name = 'x'¶[packages.vcs]¶type = 'git'¶[packages.directory]¶path = '.' | package 'x': can"
            + " have only one of vcs, directory and archive",
        "name = 'x'¶[packages.sdist]¶url = 'https://h/x-1.tar.gz'¶HASH¶[packages.archive]¶path ="
            + " 'x.zip' | package 'x': vcs, directory and archive cannot be combined with sdist or"
            + " wheels",
        "name = 'x'¶[[packages.wheels]]¶url = 'https://h/x-1-py3-none-any.whl' | package 'x':"
            + " wheels[0]: hashes are required",
        "name = 'x'¶[[packages.wheels]]¶url = 'https://h/x-1-py3-none-any.whl'¶hashes = {} |"
            + " package 'x': wheels[0]: at least one hash is required",
        "name = 'x'¶[[packages.wheels]]¶path = 'a.whl'¶HASH¶[[packages.wheels]]¶path = 'b.whl'¶"
            + "hashes = {sha256 = 12} | package 'x': wheels[1]: hashes: sha256 must be a string",
        "name = 'x'¶[packages.sdist]¶url = 'https://h/x-1.tar.gz' | package 'x': sdist: hashes are"
            + " required",
        "name = 'x'¶[packages.sdist]¶name = 'x-1.tar.gz'¶HASH | package 'x': sdist: url or path is"
            + " required",
        "name = 'x'¶[packages.sdist]¶url = 'https://h/dir/'¶HASH | package 'x': sdist: name is"
            + " required when the url or path does not end in a file name",
        "name = 'x'¶[packages.sdist]¶url = 'https://h/x 1.tar.gz'¶HASH | package 'x': sdist: url"
            + " 'https://h/x 1.tar.gz' is not a valid URL",
        "name = 'x'¶[packages.sdist]¶path = 'x-1.tar.gz'¶size = -1¶HASH | package 'x': sdist: size"
            + " must be a non-negative integer",
        "name = 'x'¶[packages.sdist]¶path = 'x-1.tar.gz'¶size = '1'¶HASH | package 'x': sdist:"
            + " size must be a non-negative integer",
        "name = 'x'¶sdist = 'x-1.tar.gz'          | package 'x': sdist must be a table",
        "name = 'x'¶wheels = ['x-1-py3-none-any.whl'] | package 'x': wheels must be an array of"
            + " tables",
      })
  void rejectsInvalidPackages(String packageToml, String message) {
    String text = HEADER + "[[packages]]¶" + packageToml.replace("HASH", HASH);
    assertThatThrownBy(() -> PyLock.parse("x.toml", text.replace("¶", "\n")))
        .isInstanceOf(RequirementSyntaxException.class)
        .hasMessageStartingWith("invalid lock file 'x.toml': " + message)
        .hasMessageNotContaining("\n");
  }

  @Test
  void errorsNameTheSecondPackage() {
    String text =
        LOCK
            + """

            [[packages]]
            name = 'broken'
            [[packages.wheels]]
            url = 'https://h/broken-1-py3-none-any.whl'
            """;
    assertThatThrownBy(() -> PyLock.parse("pylock.dev.toml", text))
        .hasMessage(
            "invalid lock file 'pylock.dev.toml': package 'broken': wheels[0]: hashes are required");
  }
}
