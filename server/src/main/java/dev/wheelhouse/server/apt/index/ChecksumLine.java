package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One {@code <hex> <size> <name>} line of a checksum field: {@code MD5Sum}, {@code SHA256} and the
 * like in a Release file, {@code Files} and {@code Checksums-Sha256} in a Sources index.
 *
 * @param hex the digest, lower case
 * @param size the file's size in bytes
 * @param name the path or file name, as written
 */
record ChecksumLine(String hex, long size, String name) {
  private static final Pattern BLANKS = Pattern.compile("[ \t]+");

  /**
   * Parses {@code text}, line {@code line} of field {@code field}, whose digests are {@code
   * hexLength} hex digits.
   */
  static ChecksumLine parse(String text, String field, int hexLength, int line)
      throws DebianFormatException {
    String[] parts = BLANKS.split(text.strip(), -1);
    if (parts.length != 3) {
      throw DebianFormatException.atLine(
          line,
          field + " line should be '<hex> <size> <name>', got " + PackagingException.quote(text));
    }
    if (!isHex(parts[0], hexLength)) {
      throw DebianFormatException.atLine(
          line,
          field
              + " digest should be "
              + hexLength
              + " hex digits, got "
              + PackagingException.quote(parts[0]));
    }
    OptionalLong size = parseSize(parts[1]);
    if (size.isEmpty()) {
      throw DebianFormatException.atLine(
          line, field + " size is not a number of bytes: " + PackagingException.quote(parts[1]));
    }
    return new ChecksumLine(parts[0].toLowerCase(Locale.ROOT), size.getAsLong(), parts[2]);
  }

  /** Whether {@code text} is exactly {@code length} hex digits, in either case. */
  static boolean isHex(String text, int length) {
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Reads a size in bytes: plain decimal digits, small enough for a long. */
  static OptionalLong parseSize(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(text));
  }
}
