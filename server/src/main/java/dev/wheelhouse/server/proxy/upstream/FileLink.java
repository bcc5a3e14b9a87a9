package dev.wheelhouse.server.proxy.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A file link from an upstream page, resolved the way browsers and pip do: relative, root-relative
 * and other-host links all become absolute http(s) URLs without fragment.
 *
 * @param url absolute, no fragment; {@code +} and {@code %2B} are kept exactly as the upstream
 *     wrote them, so requests go out as the upstream expects
 * @param filename the last path segment, percent-decoded ({@code +} stays {@code +})
 * @param fragment the raw text after {@code #}, {@code ""} if none
 */
record FileLink(URI url, String filename, String fragment) {

  private static final String HEX = "0123456789ABCDEF";
  // RFC 3986 unreserved, gen-delims (bar '#', split off first, and '[]', only legal in a host)
  // and sub-delims: what java.net.URI accepts unescaped in a path or query.
  private static final boolean[] LEGAL = new boolean[128];

  static {
    String legal =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?@!$&'()*+,;=";
    for (int i = 0; i < legal.length(); i++) {
      LEGAL[legal.charAt(i)] = true;
    }
  }

  /**
   * Resolves {@code href} against {@code base}; empty for links that cannot name a file: empty or
   * fragment-only hrefs, unparseable ones, schemes other than http(s) (a hostile upstream must not
   * point the proxy at {@code file:} URLs) and URLs ending in {@code /}.
   */
  static Optional<FileLink> resolve(URI base, String href) {
    String cleaned = withoutWhitespace(href);
    int hash = cleaned.indexOf('#');
    String target = hash < 0 ? cleaned : cleaned.substring(0, hash);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    Optional<URI> url = absolute(base, target);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    String path = url.get().getRawPath();
    String filename = percentDecode(path.substring(path.lastIndexOf('/') + 1));
    if (filename.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new FileLink(url.get(), filename, hash < 0 ? "" : cleaned.substring(hash + 1)));
  }

  /** The SHA-256 from a PEP 503 {@code #sha256=<hex>} fragment; empty for other algorithms. */
  Optional<String> fragmentSha256() {
    return Sha256Hex.fromPairs(fragment);
  }

  /**
   * Resolves a fragment-free reference to an absolute http(s) URL, e.g. for {@code <base href>}.
   */
  static Optional<URI> absolute(URI base, String target) {
    URI resolved;
    try {
      resolved = base.resolve(new URI(escape(target))).normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = resolved.getScheme();
    String authority = resolved.getRawAuthority();
    if (scheme == null
        || authority == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return Optional.empty();
    }
    String path = resolved.getRawPath() == null ? "" : resolved.getRawPath();
    if (!path.startsWith("/..") && (scheme.equals("http") || scheme.equals("https"))) {
      return Optional.of(resolved); // the common case: nothing to rewrite
    }
    // RFC 3986 drops ".." segments that would climb above the root; java.net.URI keeps them.
    while (path.startsWith("/../")) {
      path = path.substring(3);
    }
    if (path.equals("/..")) {
      path = "/";
    }
    String query = resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery();
    return Optional.of(
        URI.create(scheme.toLowerCase(Locale.ROOT) + "://" + authority + path + query));
  }

  // Browsers drop surrounding whitespace and every tab and newline inside a URL.
  private static String withoutWhitespace(String href) {
    String trimmed = href.strip();
    if (trimmed.indexOf('\t') < 0 && trimmed.indexOf('\n') < 0 && trimmed.indexOf('\r') < 0) {
      return trimmed;
    }
    StringBuilder out = new StringBuilder(trimmed.length());
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Percent-encodes what java.net.URI would reject in a path or query but browsers accept (spaces,
   * non-ASCII, stray '%', '|', ...). Valid escapes stay as they are: re-encoding {@code %2B} would
   * change the URL.
   */
  private static String escape(String target) {
    int authorityEnd = authorityEnd(target);
    StringBuilder out = null;
    for (int i = 0; i < target.length(); ) {
      int cp = target.codePointAt(i);
      int next = i + Character.charCount(cp);
      // The authority is left alone: brackets belong around IPv6 hosts, and a host that needs
      // escaping is no host, so java.net.URI may reject it.
      boolean keep =
          i < authorityEnd
              || (cp < LEGAL.length && LEGAL[cp])
              || (cp == '%' && hexValue(target, i + 1) >= 0 && hexValue(target, i + 2) >= 0);
      if (!keep && out == null) {
        out = new StringBuilder(target.length() + 16).append(target, 0, i);
      }
      if (out != null) {
        if (keep) {
          out.appendCodePoint(cp);
        } else {
          for (byte b : target.substring(i, next).getBytes(UTF_8)) {
            out.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
          }
        }
      }
      i = next;
    }
    return out == null ? target : out.toString();
  }

  /** Where the authority of {@code //host...} or {@code scheme://host...} ends; 0 if none. */
  private static int authorityEnd(String target) {
    int start;
    if (target.startsWith("//")) {
      start = 2;
    } else {
      int colon = schemeEnd(target);
      if (colon < 0 || !target.startsWith("//", colon + 1)) {
        return 0;
      }
      start = colon + 3;
    }
    int end = start;
    while (end < target.length() && "/?\\".indexOf(target.charAt(end)) < 0) {
      end++;
    }
    return end;
  }

  /** Index of the ':' ending a leading {@code scheme:}, or -1. */
  private static int schemeEnd(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == ':') {
        return i > 0 ? i : -1;
      }
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      if (!letter && (i == 0 || !other)) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Decodes %XX escapes as UTF-8. Never turns '+' into a space: that is form encoding, not URLs.
   */
  static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    byte[] encoded = raw.getBytes(UTF_8);
    byte[] decoded = new byte[encoded.length];
    int length = 0;
    for (int i = 0; i < encoded.length; i++) {
      int high = i + 2 < encoded.length ? hexValue(encoded[i + 1]) : -1;
      int low = i + 2 < encoded.length ? hexValue(encoded[i + 2]) : -1;
      if (encoded[i] == '%' && high >= 0 && low >= 0) {
        decoded[length++] = (byte) (high << 4 | low);
        i += 2;
      } else {
        decoded[length++] = encoded[i];
      }
    }
    return new String(decoded, 0, length, UTF_8);
  }

  private static int hexValue(String s, int index) {
    return index < s.length() ? hexValue(s.charAt(index)) : -1;
  }

  // ASCII only: Character.digit would also accept non-ASCII digits.
  private static int hexValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
