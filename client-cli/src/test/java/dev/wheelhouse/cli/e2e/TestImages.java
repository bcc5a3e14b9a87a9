package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Images the container tests make with {@code wheelhouse builder-image} through a test server's apt
 * cache: each at most once per test JVM, by whichever test needs it first (making one takes
 * minutes). With {@code -Dwheelhouse.test.reuseBuilderImage=true} an image left by an earlier run
 * is used as it is.
 */
final class TestImages {
  /** Debian bookworm arm64 with Python 3.11, pip, venv and a C toolchain. */
  static final String ARM64_BUILDER = "localhost/wheelhouse-test-builder:arm64";

  static final String SUITE = "bookworm";

  private static final Set<String> MADE = new HashSet<>();

  private TestImages() {}

  /** Makes {@link #ARM64_BUILDER} unless it is there already. */
  static void arm64Builder(WheelhouseCli cli) {
    make(cli, ARM64_BUILDER, "Python 3.11", "--arch", "arm64");
  }

  /** Makes {@code tag}, a minimal bookworm for {@code arch} with {@code packages}, unless there. */
  static void minimal(WheelhouseCli cli, String tag, String arch, String... packages) {
    List<String> args = new ArrayList<>(List.of("--minimal", "--arch", arch));
    for (String name : packages) {
      args.addAll(List.of("--package", name));
    }
    make(cli, tag, tag, args.toArray(String[]::new));
  }

  private static synchronized void make(
      WheelhouseCli cli, String tag, String expected, String... options) {
    if (MADE.contains(tag)
        || (Boolean.getBoolean("wheelhouse.test.reuseBuilderImage")
            && Podman.works("podman", "image", "exists", tag))) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("builder-image"));
    args.addAll(List.of(options));
    args.addAll(List.of("--suite", SUITE, "--mirror", "debian", "--tag", tag));
    WheelhouseCli.Run made = cli.run(args.toArray(String[]::new));
    assertThat(made.exitCode()).as(made.err()).isZero();
    assertThat(made.out()).contains(tag).contains(expected);
    MADE.add(tag);
  }
}
