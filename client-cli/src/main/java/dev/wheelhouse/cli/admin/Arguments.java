package dev.wheelhouse.cli.admin;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.config.DataSize;
import dev.wheelhouse.config.Durations;
import dev.wheelhouse.config.ProjectPattern;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of admin command arguments before anything is sent, in the forms the server config takes
 * ({@code 200GB}, {@code 512MiB}, {@code 30d}, {@code 12h}). A bad one is a usage error (exit 2).
 */
final class Arguments {
  /** Names of indexes and apt mirrors, as the config allows them. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private Arguments() {}

  /** A size above zero; returns it as written (without surrounding spaces), or null if absent. */
  static String size(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      if (DataSize.parse(text).bytes() == 0) {
        throw usage(option, "expected a size above zero, got '" + text + "'");
      }
    } catch (IllegalArgumentException e) {
      throw usage(option, e.getMessage());
    }
    return text.strip();
  }

  /** A duration above zero; returns it as written (without surrounding spaces), or null. */
  static String duration(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      if (Durations.parse(text).isZero()) {
        throw usage(option, "expected a duration above zero, got '" + text + "'");
      }
    } catch (IllegalArgumentException e) {
      throw usage(option, e.getMessage());
    }
    return text.strip();
  }

  /** Index or apt mirror names; null (the server's choice) if none were given. */
  static List<String> names(String option, List<String> names) {
    if (names == null || names.isEmpty()) {
      return null;
    }
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw usage(
            option,
            "expected an index or mirror name (lowercase letters, digits, '.', '_', '-'), got '"
                + name
                + "'");
      }
    }
    return List.copyOf(names);
  }

  /** Project name patterns; null (the server's choice) if none were given. */
  static List<String> patterns(String option, List<String> patterns) {
    if (patterns == null || patterns.isEmpty()) {
      return null;
    }
    for (String pattern : patterns) {
      try {
        new ProjectPattern(pattern);
      } catch (IllegalArgumentException e) {
        throw usage(option, e.getMessage());
      }
    }
    return List.copyOf(patterns);
  }

  /** A fraction above 0 and at most 1. */
  static double fraction(String option, String text) {
    double value;
    try {
      value = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0 && value <= 1)) {
      throw usage(
          option,
          "expected a fraction above 0 and at most 1 (0.1 checks a tenth), got '" + text + "'");
    }
    return value;
  }

  private static CommandFailure usage(String option, String message) {
    return CommandFailure.usage(option + ": " + message);
  }
}
