package dev.wheelhouse.packaging;

/**
 * Base of all parse errors in this package. The message is a one-line reason that is safe to return
 * as an HTTP 400 body: untrusted input is quoted with control characters escaped.
 */
public class PackagingException extends IllegalArgumentException {
  private static final int MAX_QUOTED_LENGTH = 120;

  public PackagingException(String message) {
    super(message);
  }

  /**
   * Quotes untrusted input for a message. Everything outside printable ASCII is escaped, so the
   * message stays on one line whatever the client or upstream sent, and long input is truncated.
   */
  public static String quote(String raw) {
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
    if (raw.length() > limit) {
      out.append("...");
    }
    return out.append('\'').toString();
  }
}
