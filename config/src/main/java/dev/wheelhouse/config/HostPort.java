package dev.wheelhouse.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A TCP address to listen on. IPv6 hosts are held without brackets and written with them.
 *
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 * @param port 1..65535, or 0 to let the system pick a free port (tests use that)
 */
public record HostPort(String host, int port) {
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 =
      Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (!isHost(host)) {
      throw new IllegalArgumentException("invalid host '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT}: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code 0.0.0.0:80},
   * {@code localhost:8080}.
   *
   * @throws IllegalArgumentException with a reason fit for the user
   */
  public static HostPort parse(String text) {
    String trimmed = text.strip();
    String host;
    String port;
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0 || !trimmed.startsWith(":", close + 1)) {
        throw expected(text);
      }
      host = trimmed.substring(1, close);
      port = trimmed.substring(close + 2);
      if (!IPV6.matcher(host).matches()) {
        throw new IllegalArgumentException("invalid IPv6 address '" + host + "' in '" + text + "'");
      }
    } else {
      int colon = trimmed.lastIndexOf(':');
      if (colon <= 0) {
        throw expected(text);
      }
      host = trimmed.substring(0, colon);
      port = trimmed.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "an IPv6 address needs brackets, as in ["
                + host
                + "]:"
                + port
                + ", got '"
                + text
                + "'");
      }
      if (!isHost(host)) {
        throw new IllegalArgumentException("invalid host '" + host + "' in '" + text + "'");
      }
    }
    if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("expected a port 0..65535, got '" + port + "'");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  private static IllegalArgumentException expected(String text) {
    return new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
  }

  private static boolean isHost(String host) {
    if (IPV6.matcher(host).matches()) {
      return true;
    }
    // All-numeric names are IPv4 addresses or mistakes, never host names.
    if (DOTTED_NUMBERS.matcher(host).matches()) {
      var ipv4 = IPV4.matcher(host);
      if (!ipv4.matches()) {
        return false;
      }
      for (int group = 1; group <= 4; group++) {
        if (Integer.parseInt(ipv4.group(group)) > 255) {
          return false;
        }
      }
      return true;
    }
    return host.length() <= 253 && HOST_NAME.matcher(host).matches();
  }

  /** {@code host:port}, with brackets around an IPv6 host; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
