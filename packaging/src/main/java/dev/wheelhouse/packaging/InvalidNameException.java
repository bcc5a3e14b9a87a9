package dev.wheelhouse.packaging;

/** Thrown when a project name does not follow the Python packaging rules. */
public final class InvalidNameException extends PackagingException {
  public InvalidNameException(String message) {
    super(message);
  }
}
