package dev.wheelhouse.packaging;

/** Thrown when a version does not follow the Python packaging rules. */
public final class InvalidVersionException extends PackagingException {
  public InvalidVersionException(String message) {
    super(message);
  }
}
