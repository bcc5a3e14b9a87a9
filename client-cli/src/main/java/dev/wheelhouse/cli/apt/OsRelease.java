package dev.wheelhouse.cli.apt;

import java.util.Optional;

/** The codename in an os-release(5) file, such as {@code VERSION_CODENAME=bookworm}. */
final class OsRelease {
  private OsRelease() {}

  /** The value of VERSION_CODENAME in os-release {@code text}, unquoted, if set and not empty. */
  static Optional<String> codename(String text) {
    Optional<String> codename = Optional.empty();
    for (String line : text.split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.startsWith("VERSION_CODENAME=")) {
        codename = Optional.of(unquote(stripped.substring("VERSION_CODENAME=".length())));
      }
    }
    return codename.filter(value -> !value.isBlank());
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return value;
  }
}
