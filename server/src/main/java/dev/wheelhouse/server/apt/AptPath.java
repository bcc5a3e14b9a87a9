package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.PathSegments;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A decoded path below an apt mirror's root, e.g. {@code pool/main/h/hello/hello_2.10-3_amd64.deb}.
 * Decoding is the same whichever way the request came in, so {@code %2B} and {@code +}, {@code %7E}
 * and {@code ~} name one cache entry (apt percent-encodes them; browsers and curl may not).
 *
 * @param value the decoded path, segments joined by {@code /}, no leading slash
 */
public record AptPath(String value) {
  private static final List<String> RELEASE_FILES = List.of("InRelease", "Release", "Release.gpg");
  private static final List<String> PACKAGE_SUFFIXES = List.of(".deb", ".udeb", ".ddeb");

  /** Decodes a raw (percent-encoded) path below the mirror; a bad one is a 400 with the reason. */
  public static AptPath fromRaw(String raw) {
    if (raw.isEmpty()) {
      throw HttpProblem.badRequest("apt path is empty: name a file below the mirror");
    }
    String[] segments = raw.split("/", -1);
    StringBuilder decoded = new StringBuilder(raw.length());
    for (int i = 0; i < segments.length; i++) {
      String segment = PathSegments.decode(segments[i]);
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw HttpProblem.badRequest("apt path must not have empty or dot segments: " + raw);
      }
      if (segment.indexOf('/') >= 0 || segment.indexOf('\0') >= 0 || segment.indexOf('\\') >= 0) {
        throw HttpProblem.badRequest("apt path segment must not contain /, NUL or backslash");
      }
      if (i > 0) {
        decoded.append('/');
      }
      decoded.append(segment);
    }
    return new AptPath(decoded.toString());
  }

  /** The path for an upstream URL: each segment percent-encoded where it needs to be. */
  public String encoded() {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (String segment : value.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      // '+' and '~' go as they are: every web server decodes both forms to the same file.
      out.append(PathSegments.encode(segment).replace("%2B", "+"));
    }
    return out.toString();
  }

  /** The last segment. */
  public String fileName() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  /** The directory, without a trailing slash; empty at the mirror root. */
  public String directory() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? "" : value.substring(0, slash);
  }

  /** What kind of file this is, which decides its cache policy. */
  public Kind kind() {
    if (byHash().isPresent()) {
      return Kind.BY_HASH;
    }
    if (RELEASE_FILES.contains(fileName())) {
      return Kind.RELEASE;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (value.startsWith("pool/") || PACKAGE_SUFFIXES.stream().anyMatch(lower::endsWith)) {
      return Kind.POOL;
    }
    return Kind.INDEX;
  }

  /**
   * For {@code .../by-hash/<ALGORITHM>/<hex>}: the algorithm directory name (e.g. {@code SHA256})
   * and the lowercase digest.
   */
  public Optional<ByHash> byHash() {
    String[] segments = value.split("/", -1);
    int n = segments.length;
    if (n < 3 || !segments[n - 3].equals("by-hash")) {
      return Optional.empty();
    }
    String hex = segments[n - 1].toLowerCase(Locale.ROOT);
    if (hex.isEmpty() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Optional.empty();
    }
    return Optional.of(new ByHash(segments[n - 2], hex));
  }

  /** A by-hash name: the digest algorithm's directory and the digest in hex. */
  public record ByHash(String algorithm, String hex) {}

  /** File kinds, by cache policy. */
  public enum Kind {
    /** InRelease, Release, Release.gpg: the roots of trust, revalidated after the mirror's TTL. */
    RELEASE,
    /** {@code by-hash/ALG/hex}: immutable, verified against its own name. */
    BY_HASH,
    /** Packages and sources ({@code pool/}, {@code .deb}): immutable, verified by the index. */
    POOL,
    /**
     * Anything else: served by the digest the current Release lists for it, or, if no Release lists
     * it, revalidated after the TTL.
     */
    INDEX
  }
}
