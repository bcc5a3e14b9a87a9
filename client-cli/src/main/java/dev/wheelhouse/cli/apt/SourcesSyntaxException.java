package dev.wheelhouse.cli.apt;

/** A sources file apt would refuse, with the file and line of the problem. */
final class SourcesSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  SourcesSyntaxException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
  }
}
