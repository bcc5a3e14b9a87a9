package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a Release or InRelease file without its OpenPGP clear-signature armor (RFC 4880 §7):
 * the {@code -----BEGIN PGP SIGNED MESSAGE-----} line and its armor headers, the dash escaping of
 * the signed lines, and the signature block after them. The signature itself is not checked here.
 *
 * @param firstLine the number, in the original file, of the first line of {@code lines}
 * @param lines the signed text, one entry per line
 */
record ClearSignedText(int firstLine, List<String> lines) {
  static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
  static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

  /**
   * Returns the signed text of {@code file} if it is clear-signed, else all of it. Anything but
   * blank lines around a clear-signed message is rejected rather than skipped, so that unsigned
   * text can never be read as if it were signed.
   */
  static ClearSignedText of(List<String> file) throws DebianFormatException {
    int i = skipBlank(file, 0);
    if (i == file.size() || !file.get(i).stripTrailing().equals(BEGIN_MESSAGE)) {
      return new ClearSignedText(1, file);
    }
    i++;
    for (; ; i++) {
      if (i == file.size()) {
        throw DebianFormatException.atLine(
            i, "clear-signed message ends before the blank line after its armor headers");
      }
      String header = file.get(i).stripTrailing();
      if (header.isEmpty()) {
        break;
      }
      if (!isArmorHeader(header)) {
        throw DebianFormatException.atLine(
            i + 1,
            "expected an armor header such as 'Hash: SHA256' or a blank line, got "
                + PackagingException.quote(header));
      }
    }
    i++;
    int firstLine = i + 1;
    List<String> text = new ArrayList<>();
    for (; ; i++) {
      if (i == file.size()) {
        throw DebianFormatException.atLine(
            i, "clear-signed message has no '" + BEGIN_SIGNATURE + "' line");
      }
      String line = file.get(i);
      if (line.stripTrailing().equals(BEGIN_SIGNATURE)) {
        break;
      }
      if (line.startsWith("- ")) {
        text.add(line.substring(2));
      } else if (line.startsWith("-")) {
        throw DebianFormatException.atLine(
            i + 1,
            "signed line starting with '-' is not dash-escaped: " + PackagingException.quote(line));
      } else {
        text.add(line);
      }
    }
    for (i++; ; i++) {
      if (i == file.size()) {
        throw DebianFormatException.atLine(
            i, "clear-signed message has no '" + END_SIGNATURE + "' line");
      }
      if (file.get(i).stripTrailing().equals(END_SIGNATURE)) {
        break;
      }
    }
    int after = skipBlank(file, i + 1);
    if (after < file.size()) {
      throw DebianFormatException.atLine(
          after + 1,
          "text after the signature of a clear-signed message: "
              + PackagingException.quote(file.get(after)));
    }
    return new ClearSignedText(firstLine, List.copyOf(text));
  }

  private static int skipBlank(List<String> lines, int from) {
    int i = from;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    return i;
  }

  private static boolean isArmorHeader(String line) {
    int colon = line.indexOf(": ");
    return colon > 0 && line.substring(0, colon).chars().allMatch(c -> c > ' ' && c < 0x7f);
  }
}
