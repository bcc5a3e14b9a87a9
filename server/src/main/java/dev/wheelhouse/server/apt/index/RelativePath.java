package dev.wheelhouse.server.apt.index;

/**
 * Checks paths an index names relative to a repository directory, so that an upstream cannot point
 * the cache outside the repository with {@code ..}, an absolute path or control characters.
 */
final class RelativePath {
  private RelativePath() {}

  /**
   * Whether {@code path} is a non-empty relative path whose segments are neither empty nor {@code
   * ..}, without control characters. A {@code .} segment is allowed: flat repositories list {@code
   * ./hello_1.0_all.deb}.
   */
  static boolean isClean(String path) {
    if (path.isEmpty()) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < ' ' || c == 0x7f) {
        return false;
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is a plain file name: a clean path of one segment, not {@code .}. */
  static boolean isFileName(String name) {
    return isClean(name) && name.indexOf('/') < 0 && !name.equals(".");
  }
}
