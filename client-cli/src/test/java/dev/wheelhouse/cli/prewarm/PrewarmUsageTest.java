package dev.wheelhouse.cli.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments prewarm cannot use: exit 2 and one line on stderr, before any server is asked (the URL
 * here has nothing listening).
 */
class PrewarmUsageTest {
  private static final Map<String, String> ENV = Map.of("WHEELHOUSE_URL", "http://127.0.0.1:9");

  @TempDir Path dir;

  private static CliRun prewarm(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "prewarm";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.run(ENV, all);
  }

  private static void assertUsage(CliRun run, String expectedStart) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith(expectedStart).endsWith("\n");
    assertThat(run.err().strip()).doesNotContain("\n");
  }

  private Path file(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void noRequirementsFile() {
    assertUsage(
        prewarm("--platform", "linux/amd64", "--python", "3.12"),
        "wheelhouse prewarm: no requirements: give -r requirements.txt or -r pylock.toml");
  }

  @Test
  void aFileThatDoesNotExist() {
    Path missing = dir.resolve("nope.txt");

    assertUsage(
        prewarm("-r", missing.toString(), "--platform", "linux/amd64", "--python", "3.12"),
        "wheelhouse prewarm: cannot read " + missing + ": no such file");
  }

  @Test
  void anIncludeThatDoesNotExistNamesTheIncludingFile() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n-r other.txt\n");

    CliRun run =
        prewarm("-r", requirements.toString(), "--platform", "linux/amd64", "--python", "3.12");

    assertUsage(run, "wheelhouse prewarm: cannot read " + dir.resolve("other.txt"));
    assertThat(run.err()).contains("(named in " + requirements + ")");
  }

  @Test
  void aSyntaxErrorNamesFileAndLine() throws Exception {
    Path requirements = file("bad.txt", "purepy==2.0\nthis is not ! a requirement\n");

    CliRun run =
        prewarm("-r", requirements.toString(), "--platform", "linux/amd64", "--python", "3.12");

    assertUsage(run, "wheelhouse prewarm: ");
    assertThat(run.err()).contains("bad.txt:2");
  }

  @Test
  void aLockThatIsNotTomlNamesTheFile() throws Exception {
    Path lock = file("pylock.toml", "lock-version = \n[[packages]\n");

    CliRun run = prewarm("-r", lock.toString(), "--platform", "linux/amd64", "--python", "3.12");

    assertUsage(run, "wheelhouse prewarm: ");
    assertThat(run.err()).contains("pylock.toml");
  }

  @Test
  void anUnknownPlatform() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n");

    assertUsage(
        prewarm("-r", requirements.toString(), "--platform", "windows/amd64", "--python", "3.12"),
        "wheelhouse prewarm: --platform windows/amd64 --python 3.12: unsupported platform");
  }

  @Test
  void aPythonThatIsNotAVersion() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n");

    assertUsage(
        prewarm("-r", requirements.toString(), "--platform", "linux/amd64", "--python", "three"),
        "wheelhouse prewarm: --platform linux/amd64 --python three: ");
  }

  @Test
  void noPlatformOrNoPython() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n");

    assertUsage(
        prewarm("-r", requirements.toString(), "--python", "3.12"),
        "wheelhouse prewarm: no target platform");
    assertUsage(
        prewarm("-r", requirements.toString(), "--platform", "linux/amd64"),
        "wheelhouse prewarm: no target Python");
  }

  @Test
  void manylinuxAndMusllinuxTogetherOrMalformed() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n");
    String[] target = {
      "-r", requirements.toString(), "--platform", "linux/amd64", "--python", "3.12"
    };

    assertUsage(
        prewarm(concat(target, "--manylinux", "2_28", "--musllinux", "1_2")),
        "wheelhouse prewarm: --manylinux and --musllinux exclude each other");
    assertUsage(prewarm(concat(target, "--manylinux", "two")), "wheelhouse prewarm: --manylinux: ");
  }

  @Test
  void jobsOutOfRangeAndABadIndexName() throws Exception {
    Path requirements = file("requirements.txt", "purepy==2.0\n");
    String[] target = {
      "-r", requirements.toString(), "--platform", "linux/amd64", "--python", "3.12"
    };

    assertUsage(
        prewarm(concat(target, "--jobs", "0")),
        "wheelhouse prewarm: --jobs must be between 1 and 64, not 0");
    assertUsage(
        prewarm(concat(target, "--index", "../x")),
        "wheelhouse prewarm: invalid index name '../x'");
  }

  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.run(ENV, "prewarm", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("-r, --requirement=FILE")
        .contains("--platform=PLATFORM")
        .contains("--python=X.Y")
        .contains("--build-missing")
        .contains("--allow-missing")
        .contains("--jobs=N");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
