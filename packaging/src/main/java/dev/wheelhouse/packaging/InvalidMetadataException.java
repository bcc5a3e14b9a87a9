package dev.wheelhouse.packaging;

/** Thrown when core metadata does not follow the Python packaging rules. */
public final class InvalidMetadataException extends PackagingException {
  public InvalidMetadataException(String message) {
    super(message);
  }
}
