package dev.wheelhouse.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, parsed with the same permissive grammar as {@code packaging.version} and
 * ordered as PEP 440 specifies. Equality follows the ordering, so {@code 1.0} equals {@code 1.0.0}
 * even though their normalized strings differ.
 */
public final class Version implements Comparable<Version> {
  // The regular expression of packaging.version.VERSION_PATTERN, including its normalizations.
  private static final Pattern PATTERN =
      Pattern.compile(
          """
          v?
          (?:(?<epoch>[0-9]+)!)?
          (?<release>[0-9]+(?:\\.[0-9]+)*)
          (?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?
          (?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?
          (?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?
          (?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
          """,
          Pattern.COMMENTS | Pattern.CASE_INSENSITIVE);

  private static final Pattern LOCAL_SEPARATOR = Pattern.compile("[-_.]");
  private static final Pattern DOT = Pattern.compile("\\.");

  /** Marks an absent post or dev segment; real segment numbers are never negative. */
  private static final long ABSENT = -1;

  private final int epoch;
  private final List<Long> release;
  private final String preLabel; // "a", "b", "rc", or null
  private final long preNumber;
  private final long post;
  private final long dev;
  private final List<String> local; // normalized segments, empty when there is no local part
  private final String normalized;

  private Version(
      int epoch,
      List<Long> release,
      String preLabel,
      long preNumber,
      long post,
      long dev,
      List<String> local) {
    this.epoch = epoch;
    this.release = List.copyOf(release);
    this.preLabel = preLabel;
    this.preNumber = preNumber;
    this.post = post;
    this.dev = dev;
    this.local = List.copyOf(local);
    this.normalized = publicVersion() + local().map(l -> "+" + l).orElse("");
  }

  /** Parses a version; throws {@link InvalidVersionException}. */
  public static Version parse(String text) {
    if (text == null) {
      throw new InvalidVersionException("invalid version: null");
    }
    Matcher m = PATTERN.matcher(text.strip());
    if (!m.matches()) {
      throw new InvalidVersionException(
          "invalid version " + PackagingException.quote(text) + ": not a PEP 440 version");
    }
    int epoch = m.group("epoch") == null ? 0 : toInt(number(m.group("epoch"), text), text);
    List<Long> release = new ArrayList<>();
    for (String part : DOT.split(m.group("release"), -1)) {
      release.add(number(part, text));
    }
    String preLabel = m.group("pre") == null ? null : preLabel(m.group("preL"));
    long preNumber = m.group("preN") == null ? 0 : number(m.group("preN"), text);
    long post = ABSENT;
    if (m.group("post") != null) {
      String n = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
      post = n == null ? 0 : number(n, text);
    }
    long dev = ABSENT;
    if (m.group("dev") != null) {
      dev = m.group("devN") == null ? 0 : number(m.group("devN"), text);
    }
    List<String> local = new ArrayList<>();
    if (m.group("local") != null) {
      for (String part : LOCAL_SEPARATOR.split(m.group("local").toLowerCase(Locale.ROOT), -1)) {
        local.add(isNumeric(part) ? stripLeadingZeros(part) : part);
      }
    }
    return new Version(epoch, release, preLabel, preNumber, post, dev, local);
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  private static String preLabel(String spelling) {
    return switch (spelling.toLowerCase(Locale.ROOT)) {
      case "a", "alpha" -> "a";
      case "b", "beta" -> "b";
      default -> "rc"; // c, pre, preview, rc
    };
  }

  private static long number(String digits, String text) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new InvalidVersionException(
          "invalid version " + PackagingException.quote(text) + ": number too large");
    }
  }

  private static int toInt(long value, String text) {
    if (value > Integer.MAX_VALUE) {
      throw new InvalidVersionException(
          "invalid version " + PackagingException.quote(text) + ": epoch too large");
    }
    return (int) value;
  }

  /**
   * Local numbers may exceed a long (dates, hashes), so they stay strings without leading zeros.
   */
  private static String stripLeadingZeros(String digits) {
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') {
      start++;
    }
    return digits.substring(start);
  }

  private static boolean isNumeric(String segment) {
    return segment.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The canonical form, as {@code str(packaging.version.Version(...))}. */
  public String normalized() {
    return normalized;
  }

  /** The normalized version without its local segment. */
  public String publicVersion() {
    StringBuilder out = new StringBuilder();
    if (epoch != 0) {
      out.append(epoch).append('!');
    }
    for (int i = 0; i < release.size(); i++) {
      out.append(i == 0 ? "" : ".").append(release.get(i));
    }
    if (preLabel != null) {
      out.append(preLabel).append(preNumber);
    }
    if (post != ABSENT) {
      out.append(".post").append(post);
    }
    if (dev != ABSENT) {
      out.append(".dev").append(dev);
    }
    return out.toString();
  }

  /** The normalized local segment, e.g. {@code cu121}, if any. */
  public Optional<String> local() {
    return local.isEmpty() ? Optional.empty() : Optional.of(String.join(".", local));
  }

  public int epoch() {
    return epoch;
  }

  public List<Long> release() {
    return release;
  }

  /** True for pre-releases and development releases, which installers skip by default. */
  public boolean isPreRelease() {
    return preLabel != null || dev != ABSENT;
  }

  public boolean isPostRelease() {
    return post != ABSENT;
  }

  public boolean isDevRelease() {
    return dev != ABSENT;
  }

  @Override
  public int compareTo(Version other) {
    int c = Integer.compare(epoch, other.epoch);
    if (c == 0) {
      c = compareRelease(release, other.release);
    }
    if (c == 0) {
      c = comparePre(other);
    }
    if (c == 0) {
      c = Long.compare(post, other.post); // ABSENT (-1) sorts before any post release
    }
    if (c == 0) {
      c = compareAbsentLast(dev, other.dev);
    }
    if (c == 0) {
      c = compareLocal(local, other.local);
    }
    return c;
  }

  private static int compareRelease(List<Long> a, List<Long> b) {
    // Trailing zeros are insignificant: 1.0 == 1.0.0.
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int c = Long.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private int comparePre(Version other) {
    int c = Integer.compare(preRank(), other.preRank());
    if (c == 0 && preLabel != null) {
      c = Long.compare(preNumber, other.preNumber);
    }
    return c;
  }

  /**
   * Orders the pre-release phase: a bare dev release (1.0.dev0) precedes every pre-release of the
   * same release, and a final release follows them all.
   */
  private int preRank() {
    if (preLabel == null) {
      return post == ABSENT && dev != ABSENT ? 0 : 4;
    }
    return switch (preLabel) {
      case "a" -> 1;
      case "b" -> 2;
      default -> 3;
    };
  }

  private static int compareAbsentLast(long a, long b) {
    if (a == ABSENT || b == ABSENT) {
      return Boolean.compare(a == ABSENT, b == ABSENT);
    }
    return Long.compare(a, b);
  }

  /**
   * PEP 440 local ordering: segment by segment, numeric segments above alphanumeric ones, and a
   * shorter local version below a longer one it is a prefix of. No local part sorts lowest.
   */
  private static int compareLocal(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareLocalSegment(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareLocalSegment(String a, String b) {
    boolean numericA = isNumeric(a);
    boolean numericB = isNumeric(b);
    if (numericA && numericB) {
      // Normalized numbers have no leading zeros, so length decides before digits do.
      int c = Integer.compare(a.length(), b.length());
      return c != 0 ? c : a.compareTo(b);
    }
    if (numericA != numericB) {
      return numericA ? 1 : -1;
    }
    return a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version other && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    int significant = release.size();
    while (significant > 1 && release.get(significant - 1) == 0) {
      significant--;
    }
    return Objects.hash(
        epoch, release.subList(0, significant), preLabel, preNumber, post, dev, local);
  }

  @Override
  public String toString() {
    return normalized;
  }
}
