package dev.wheelhouse.cli.build;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell script a build container runs. Values come in as environment variables and positional
 * arguments, never spliced into the script text, so a recipe cannot inject shell syntax.
 */
final class BuildScript {
  /** Exit code of the script when the image's Python is not the one asked for. */
  static final int WRONG_PYTHON = 97;

  static final String SOURCE = "/src";
  static final String OUTPUT = "/out";

  /** Written by builder-image: the server's apt mirror and suite the image was made from. */
  static final String APT_SOURCE = "/etc/wheelhouse/apt-source";

  private static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "echo \"== $(uname -m), $(python3 --version 2>&1), image $WHEELHOUSE_IMAGE\"",
          "have=$(python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])')",
          "if [ \"$have\" != \"$WHEELHOUSE_PYTHON\" ]; then",
          "  echo \"wheelhouse: this image has Python $have, not $WHEELHOUSE_PYTHON\" >&2",
          "  exit " + WRONG_PYTHON,
          "fi",
          "if [ -n \"$WHEELHOUSE_SYSTEM_PACKAGES\" ]; then",
          // A builder image names the server's apt mirror it came from; point apt at this server.
          "  if [ -r " + APT_SOURCE + " ]; then",
          "    read -r mirror suite < " + APT_SOURCE,
          "    echo \"deb $WHEELHOUSE_SERVER/apt/$mirror $suite main\" > /etc/apt/sources.list",
          "  fi",
          "  echo \"== apt-get install $WHEELHOUSE_SYSTEM_PACKAGES\"",
          "  export DEBIAN_FRONTEND=noninteractive",
          "  apt-get update -q",
          "  apt-get install -y -q --no-install-recommends $WHEELHOUSE_SYSTEM_PACKAGES",
          "fi",
          "target=\"$WHEELHOUSE_TARGET\"",
          "if [ -d \"$target\" ]; then",
          // pip builds a directory in place; the source is mounted read-only, so build a copy.
          "  rm -rf /tmp/wheelhouse-src && cp -a \"$target\" /tmp/wheelhouse-src",
          "  target=/tmp/wheelhouse-src",
          "fi",
          "echo \"== pip wheel $target\"",
          "python3 -m pip wheel --no-deps --wheel-dir " + OUTPUT + " \"$@\" \"$target\"",
          "ls -l " + OUTPUT);

  private BuildScript() {}

  /** {@code sh -c SCRIPT sh PIP_ARGS...}: the container's command. */
  static List<String> command(List<String> pipArgs) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh"));
    command.addAll(pipArgs);
    return command;
  }
}
