package dev.wheelhouse.packaging;

/** Thrown when a distribution file name does not follow the Python packaging rules. */
public final class InvalidFilenameException extends PackagingException {
  public InvalidFilenameException(String message) {
    super(message);
  }
}
