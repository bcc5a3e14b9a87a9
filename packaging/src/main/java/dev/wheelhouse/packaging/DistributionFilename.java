package dev.wheelhouse.packaging;

/**
 * The parts every distribution file name carries. Parsing also guarantees the name is a single,
 * harmless path segment: no separators, control characters, whitespace or leading dot.
 */
public sealed interface DistributionFilename permits WheelFilename, SdistFilename {

  /**
   * Parses a wheel ({@code .whl}) or sdist ({@code .tar.gz}, {@code .zip}) file name; throws {@link
   * InvalidFilenameException}, also for any other file type.
   */
  static DistributionFilename parse(String filename) {
    requireSafe(filename);
    if (filename.endsWith(WheelFilename.EXTENSION)) {
      return WheelFilename.parse(filename);
    }
    // Anything else is an sdist or, failing that, an unsupported file type.
    return SdistFilename.parse(filename);
  }

  /**
   * Returns {@code filename} if it is usable as a single path segment, else throws {@link
   * InvalidFilenameException}. Does not check that it names a distribution.
   */
  static String requireSafe(String filename) {
    if (filename == null || filename.isEmpty()) {
      throw new InvalidFilenameException("invalid file name: empty");
    }
    String problem = null;
    if (filename.startsWith(".")) {
      problem = "must not start with '.'";
    }
    for (int i = 0; i < filename.length() && problem == null; i++) {
      char c = filename.charAt(i);
      if (c == '/' || c == '\\') {
        problem = "must not contain path separators";
      } else if (Character.isISOControl(c)) {
        problem = "must not contain control characters";
      } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        problem = "must not contain whitespace";
      }
    }
    if (problem != null) {
      throw new InvalidFilenameException(
          "invalid file name " + PackagingException.quote(filename) + ": " + problem);
    }
    return filename;
  }

  /** The file name exactly as given. */
  String filename();

  ProjectName project();

  Version version();
}
