package dev.wheelhouse.cli.apt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of an apt source (sources.list(5)), which the one-line format spells {@code
 * signed-by=/k.gpg} and deb822 {@code Signed-By: /k.gpg}. Entries keep them under their one-line
 * name; options apt does not know (yet) keep the name they were written with.
 */
final class SourceOptions {
  private static final Pattern WHITESPACE_OR_COMMA = Pattern.compile("[\\s,]+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  /** How values are written: see {@link #fromDeb822} and {@link #toOneLine}. */
  private enum Kind {
    /** Several values: whitespace-separated in deb822, comma-separated in one-line. */
    LIST,
    /** Keyrings and fingerprints, comma-separated in both formats, or one embedded key block. */
    KEYS,
    /** One value. */
    SINGLE
  }

  private record Known(String oneLine, String deb822, Kind kind) {}

  private static final List<Known> KNOWN = known();

  private SourceOptions() {}

  private static List<Known> known() {
    List<Known> known = new ArrayList<>();
    for (String[] multi :
        new String[][] {{"arch", "Architectures"}, {"lang", "Languages"}, {"target", "Targets"}}) {
      known.add(new Known(multi[0], multi[1], Kind.LIST));
      known.add(new Known(multi[0] + "+", multi[1] + "-Add", Kind.LIST));
      known.add(new Known(multi[0] + "-", multi[1] + "-Remove", Kind.LIST));
    }
    known.add(new Known("signed-by", "Signed-By", Kind.KEYS));
    for (String deb822 :
        List.of(
            "Trusted",
            "PDiffs",
            "By-Hash",
            "Allow-Insecure",
            "Allow-Weak",
            "Allow-Downgrade-To-Insecure",
            "Check-Valid-Until",
            "Valid-Until-Min",
            "Valid-Until-Max",
            "Check-Date",
            "Date-Max-Future",
            "InRelease-Path",
            "Snapshot")) {
      known.add(new Known(deb822.toLowerCase(Locale.ROOT), deb822, Kind.SINGLE));
    }
    return List.copyOf(known);
  }

  /** The key of the deb822 field {@code field} (field names are case-insensitive). */
  static String keyOfDeb822(String field) {
    return KNOWN.stream()
        .filter(k -> k.deb822().equalsIgnoreCase(field))
        .map(Known::oneLine)
        .findFirst()
        .orElse(field);
  }

  /** The values of option {@code key} written in deb822, continuation lines joined by \n. */
  static List<String> fromDeb822(String key, String value) {
    String text = value.strip();
    return switch (kind(key)) {
      case LIST -> split(text, WHITESPACE_OR_COMMA);
      case KEYS -> text.contains("-----BEGIN") ? List.of(text) : split(text, Pattern.compile(","));
      case SINGLE -> text.isEmpty() ? List.of() : List.of(text);
    };
  }

  /** The values of option {@code key} written in one-line format ({@code key=value}). */
  static List<String> fromOneLine(String key, String value) {
    return switch (kind(key)) {
      case LIST, KEYS -> split(value, Pattern.compile(","));
      case SINGLE -> List.of(value);
    };
  }

  /** The deb822 field name of option {@code key}. */
  static String deb822Name(String key) {
    return find(key).map(Known::deb822).orElse(key);
  }

  /** The deb822 field value of option {@code key}; it may span lines (an embedded key). */
  static String toDeb822(String key, List<String> values) {
    return String.join(kind(key) == Kind.KEYS ? "," : " ", values);
  }

  /**
   * The one-line value of option {@code key}, or empty for an unknown option whose value cannot be
   * written on one line (apt ignores unknown options anyway).
   *
   * @throws IllegalArgumentException if a known option cannot be written on one line, such as an
   *     embedded Signed-By key
   */
  static Optional<String> toOneLine(String key, List<String> values) {
    String value = String.join(",", values);
    if (!WHITESPACE.matcher(value).find() && !value.contains("]") && !value.isEmpty()) {
      return Optional.of(value);
    }
    if (find(key).isEmpty()) {
      return Optional.empty();
    }
    throw new IllegalArgumentException(
        "the one-line format cannot express "
            + deb822Name(key)
            + (value.contains("-----BEGIN") ? " with an embedded key" : ": '" + value + "'"));
  }

  private static Kind kind(String key) {
    return find(key).map(Known::kind).orElse(Kind.SINGLE);
  }

  private static Optional<Known> find(String key) {
    return KNOWN.stream().filter(k -> k.oneLine().equals(key)).findFirst();
  }

  private static List<String> split(String text, Pattern separator) {
    return Arrays.stream(separator.split(text, -1))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }
}
