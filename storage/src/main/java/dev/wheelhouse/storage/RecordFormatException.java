package dev.wheelhouse.storage;

/**
 * A stored metadata value cannot be decoded: an encoding version this build does not know (the
 * store was written by a newer wheelhouse) or corrupt bytes.
 */
public final class RecordFormatException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message) {
    super(message);
  }

  public RecordFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
