package dev.wheelhouse.server.apt.index;

import java.io.IOException;

/**
 * Input that is not a well-formed Debian repository file (Release, InRelease, Packages, Sources, a
 * compressed index). The message says what is wrong and, where there is one, on which line;
 * untrusted text in it is quoted by {@link dev.wheelhouse.packaging.PackagingException#quote}.
 */
public final class DebianFormatException extends IOException {

  public DebianFormatException(String message) {
    super(message);
  }

  /** Returns an exception whose message is {@code "line <line>: <problem>"}. */
  public static DebianFormatException atLine(int line, String problem) {
    return new DebianFormatException("line " + line + ": " + problem);
  }
}
