package dev.wheelhouse.server.proxy.fill;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * The upstream did not deliver the file: an error status, an I/O error while connecting or reading,
 * or a body whose size differs from its Content-Length. Clients get a 502.
 */
public final class UpstreamException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status, or 0 when the failure was not a status. */
  private final int status;

  public UpstreamException(String message) {
    super(message);
    this.status = 0;
  }

  public UpstreamException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  private UpstreamException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** An error status for {@code what} (e.g. the URL). */
  public static UpstreamException status(int status, String what) {
    return new UpstreamException(status, "upstream answered HTTP " + status + " for " + what);
  }

  /** The upstream's HTTP status, when that was the failure. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
