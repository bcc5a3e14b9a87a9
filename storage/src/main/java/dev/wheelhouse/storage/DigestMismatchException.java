package dev.wheelhouse.storage;

import java.io.IOException;
import java.util.Objects;

/** The bytes written do not have the sha256 the caller expected; nothing was stored. */
public final class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Sha256 expected;
  private final Sha256 actual;

  public DigestMismatchException(Sha256 expected, Sha256 actual) {
    super("sha256 mismatch: expected " + expected + ", got " + actual);
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  public Sha256 expected() {
    return expected;
  }

  public Sha256 actual() {
    return actual;
  }
}
