package dev.wheelhouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What a failed request to the server comes down to, in one line for a person: the server's own
 * reason, a redirect the command will not follow, or why the server could not be reached.
 */
public final class ServerReplies {
  private static final int MAX_REASON_BYTES = 8192;
  private static final int MAX_REASON_CHARS = 300;
  private static final Map<Integer, String> PHRASES =
      Map.of(
          400, "Bad Request",
          401, "Unauthorized",
          403, "Forbidden",
          404, "Not Found",
          405, "Method Not Allowed",
          409, "Conflict",
          413, "Payload Too Large",
          500, "Internal Server Error",
          502, "Bad Gateway",
          503, "Service Unavailable");

  private ServerReplies() {}

  /**
   * The first non-blank line of the body read from {@code in} (tags stripped), else the standard
   * phrase; for a redirect, where it went and that {@code what} URLs do not redirect.
   */
  public static String reason(HttpResponse<?> response, InputStream in, String what)
      throws IOException {
    if (response.statusCode() / 100 == 3) {
      String location = response.headers().firstValue("Location").orElse("elsewhere");
      return "redirected to " + location + "; " + what + " URLs do not redirect (check --url)";
    }
    String body = new String(in.readNBytes(MAX_REASON_BYTES), StandardCharsets.UTF_8);
    for (String line : body.lines().toList()) {
      String text = line.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
      if (!text.isEmpty()) {
        return text.length() > MAX_REASON_CHARS
            ? text.substring(0, MAX_REASON_CHARS) + "..."
            : text;
      }
    }
    return PHRASES.getOrDefault(response.statusCode(), "HTTP " + response.statusCode());
  }

  /** Why a connection could not be made: unknown host, refused, or the exception's message. */
  public static String connectProblem(ConnectException e) {
    if (causeOfType(e, UnresolvedAddressException.class) != null
        || causeOfType(e, UnknownHostException.class) != null) {
      return "unknown host";
    }
    String message = describe(e);
    return message.toLowerCase(Locale.ROOT).contains("refused")
            || message.equals(e.getClass().getSimpleName())
        ? "connection refused"
        : message;
  }

  /** The first cause of {@code type} in the chain, or null. */
  public static <T extends Throwable> T causeOfType(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The first non-blank message in the cause chain, else the exception's class name. */
  public static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
