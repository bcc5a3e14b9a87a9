package dev.wheelhouse.server.proxy.upstream;

/**
 * An upstream page that cannot be read as a whole (wrong format, unsupported API version). The
 * message is one line; untrusted text in it is quoted and shortened by {@link #quote}.
 */
public final class UpstreamFormatException extends Exception {
  private static final int MAX_QUOTED_LENGTH = 80;

  public UpstreamFormatException(String message) {
    super(message);
  }

  public UpstreamFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Quotes upstream text for a message: printable ASCII only, so it stays on one short line. */
  static String quote(String raw) {
    if (raw == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(raw.length(), MAX_QUOTED_LENGTH);
    for (int i = 0; i < limit; i++) {
      char c = raw.charAt(i);
      if (c < ' ' || c > '~') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(raw.length() > limit ? "...'" : "'").toString();
  }
}
