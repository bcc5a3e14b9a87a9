package dev.wheelhouse.server.proxy.upstream;

import java.util.Locale;
import java.util.Optional;

/** A SHA-256 digest as upstreams write it: 64 hex digits, either case. */
final class Sha256Hex {
  private static final int LENGTH = 64;

  private Sha256Hex() {}

  /**
   * The digest in lowercase, or empty if {@code raw} is not one. A malformed value counts as absent
   * rather than failing the page: the proxy computes the digest itself when it has none.
   */
  static Optional<String> parse(String raw) {
    if (raw == null || raw.length() != LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < LENGTH; i++) {
      if (!isHexDigit(raw.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(raw.toLowerCase(Locale.ROOT));
  }

  // ASCII only: Character.digit would also accept e.g. Arabic-Indic digits.
  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * The SHA-256 from a {@code <hashname>=<hashvalue>} pair list as PEP 503 fragments and PEP 658
   * attributes use ({@code sha256=ab12...}, pairs separated by {@code &}); empty for other
   * algorithms.
   */
  static Optional<String> fromPairs(String pairs) {
    int start = 0;
    while (start <= pairs.length()) {
      int end = pairs.indexOf('&', start);
      if (end < 0) {
        end = pairs.length();
      }
      int eq = pairs.indexOf('=', start);
      if (eq > start && eq < end && pairs.substring(start, eq).equalsIgnoreCase("sha256")) {
        return parse(pairs.substring(eq + 1, end));
      }
      start = end + 1;
    }
    return Optional.empty();
  }
}
