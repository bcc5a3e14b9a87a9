package dev.wheelhouse.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arguments {@code build} cannot use end with exit code 2 and a one-line reason, before any build.
 */
class BuildCommandUsageTest {

  record Case(List<String> args, String reason) {
    @Override
    public String toString() {
      return String.join(" ", args);
    }
  }

  static List<Case> cases() {
    String example = Path.of("../config/wheelhouse.example.yaml").toString();
    return List.of(
        new Case(List.of("build"), "one of"),
        new Case(List.of("build", "--sdist", "soxr"), "--sdist wants NAME==VERSION"),
        new Case(List.of("build", "--sdist", "soxr==1", "--path", "."), "mutually exclusive"),
        new Case(List.of("build", "--git", "https://example.org/x"), "--ref"),
        new Case(
            List.of("build", "--recipe", "nope", "--config", example),
            "no recipe 'nope' in the config; recipes: pyrnnoise, librosa-extras, inhouse"),
        new Case(
            List.of("build", "--sdist", "soxr==1", "--platform", "windows/amd64"), "windows/amd64"),
        new Case(List.of("build", "--sdist", "soxr==1", "--python", "2"), "2"),
        new Case(
            List.of("build", "--sdist", "soxr==1", "--engine", "lxc"),
            "unknown container engine 'lxc'"),
        new Case(List.of("build", "--sdist", "soxr==1", "--timeout", "soon"), "--timeout"),
        new Case(List.of("builder-image", "--arch", "sparc"), "unknown --arch 'sparc'"),
        new Case(
            List.of("builder-image", "--arch", "arm64", "--suite", "Bad Suite"), "invalid --suite"),
        new Case(
            List.of("builder-image", "--arch", "arm64", "--package", "gcc;rm"),
            "invalid Debian package name"),
        new Case(
            List.of("builder-image", "--arch", "amd64", "--minimal"), "--minimal needs --tag"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void isAUsageError(Case c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            c.args().toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("WHEELHOUSE_URL", "http://127.0.0.1:1"));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(c.reason());
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
