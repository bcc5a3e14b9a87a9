package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.InvalidVersionException;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Version;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One clause of a specifier set, such as {@code >=1.2} or {@code ==1.3.*}, with the matching rules
 * of PEP 440 as {@code packaging.specifiers.Specifier} implements them.
 */
final class SpecifierClause {
  private static final String RELEASE = "v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*";
  private static final String RELEASE_OF_TWO = "v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+";
  private static final String PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
  private static final String POST = "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
  private static final String DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
  private static final String LOCAL = "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";

  /**
   * One clause, as packaging's specifier regular expression: only {@code ==} and {@code !=} take a
   * wildcard or a local label, {@code ~=} needs two release numbers, and {@code ===} takes any text
   * up to whitespace, a comma, a semicolon or a closing parenthesis.
   */
  static final Pattern PATTERN =
      Pattern.compile(
          "(?<identity>===)\\s*(?<arbitrary>[^\\s,;)]+)"
              + "|(?<equality>==|!=)\\s*(?<equalityVersion>"
              + RELEASE
              + "(?:\\.\\*|"
              + PRE
              + POST
              + DEV
              + LOCAL
              + "))"
              + "|(?<compatible>~=)\\s*(?<compatibleVersion>"
              + RELEASE_OF_TWO
              + PRE
              + POST
              + DEV
              + ")"
              + "|(?<ordered><=|>=|<|>)\\s*(?<orderedVersion>"
              + RELEASE
              + PRE
              + POST
              + DEV
              + ")",
          Pattern.CASE_INSENSITIVE);

  private static final String WILDCARD = ".*";

  private final SpecifierOperator operator;
  private final String versionText; // normalized, with ".*" for a wildcard; verbatim for ===
  private final Version version; // null for a wildcard and for === text that is no version
  private final List<Long> prefix; // the release numbers a wildcard (or ~=) must start with
  private final int prefixEpoch;

  private SpecifierClause(
      SpecifierOperator operator,
      String versionText,
      Version version,
      List<Long> prefix,
      int prefixEpoch) {
    this.operator = operator;
    this.versionText = versionText;
    this.version = version;
    this.prefix = prefix;
    this.prefixEpoch = prefixEpoch;
  }

  /**
   * Parses one clause with no surrounding whitespace; throws {@link RequirementSyntaxException}.
   */
  static SpecifierClause parse(String text) {
    Matcher m = PATTERN.matcher(text);
    if (!m.matches()) {
      throw new RequirementSyntaxException(
          "invalid version specifier "
              + PackagingException.quote(text)
              + ": expected an operator (~=, ==, !=, <=, >=, <, >, ===) and a PEP 440 version"
              + " (a wildcard or local label only after == or !=)");
    }
    if (m.group("identity") != null) {
      String arbitrary = m.group("arbitrary");
      Version parsed = Version.isValid(arbitrary) ? Version.parse(arbitrary) : null;
      return new SpecifierClause(SpecifierOperator.IDENTITY, arbitrary, parsed, List.of(), 0);
    }
    if (m.group("equality") != null) {
      SpecifierOperator operator = SpecifierOperator.of(m.group("equality"));
      String raw = m.group("equalityVersion");
      if (raw.endsWith(WILDCARD)) {
        Version base = version(raw.substring(0, raw.length() - WILDCARD.length()), text);
        return new SpecifierClause(
            operator, base.normalized() + WILDCARD, null, base.release(), base.epoch());
      }
      Version exact = version(raw, text);
      return new SpecifierClause(operator, exact.normalized(), exact, List.of(), 0);
    }
    if (m.group("compatible") != null) {
      Version lower = version(m.group("compatibleVersion"), text);
      // ~=V.N means >=V.N together with ==V.*: the prefix drops the last release number.
      List<Long> release = lower.release();
      return new SpecifierClause(
          SpecifierOperator.COMPATIBLE,
          lower.normalized(),
          lower,
          release.subList(0, release.size() - 1),
          lower.epoch());
    }
    Version bound = version(m.group("orderedVersion"), text);
    return new SpecifierClause(
        SpecifierOperator.of(m.group("ordered")), bound.normalized(), bound, List.of(), 0);
  }

  private static Version version(String raw, String clause) {
    try {
      return Version.parse(raw);
    } catch (InvalidVersionException e) {
      throw new RequirementSyntaxException(
          "invalid version specifier " + PackagingException.quote(clause) + ": " + e.getMessage());
    }
  }

  SpecifierOperator operator() {
    return operator;
  }

  /** The version as normalized ({@code ===}: as written), with {@code .*} for a wildcard. */
  String versionText() {
    return versionText;
  }

  boolean isWildcard() {
    return operator != SpecifierOperator.IDENTITY && version == null;
  }

  /**
   * Whether this clause lets pre-releases match on its own: it names a pre-release and is neither
   * {@code !=} nor a wildcard, as in {@code packaging}.
   */
  boolean namesPreRelease() {
    return operator != SpecifierOperator.NOT_EQUAL && version != null && version.isPreRelease();
  }

  /** Whether a version string (kept verbatim for {@code ===}) satisfies this clause. */
  boolean matches(Optional<Version> parsed, String text) {
    if (operator == SpecifierOperator.IDENTITY) {
      return text.equalsIgnoreCase(versionText);
    }
    return parsed.isPresent() && matches(parsed.get());
  }

  /** Whether {@code candidate} satisfies this clause, leaving pre-release policy to the caller. */
  boolean matches(Version candidate) {
    return switch (operator) {
      case COMPATIBLE -> publicOf(candidate).compareTo(version) >= 0 && startsWithPrefix(candidate);
      case EQUAL -> isEqual(candidate);
      case NOT_EQUAL -> !isEqual(candidate);
      case LESS_OR_EQUAL -> publicOf(candidate).compareTo(version) <= 0;
      case GREATER_OR_EQUAL -> publicOf(candidate).compareTo(version) >= 0;
      case LESS -> isLess(candidate);
      case GREATER -> isGreater(candidate);
      case IDENTITY -> candidate.normalized().equalsIgnoreCase(versionText);
    };
  }

  private boolean isEqual(Version candidate) {
    if (version == null) {
      return startsWithPrefix(candidate);
    }
    // A specifier without a local label matches every local build of its version.
    Version compared = version.local().isPresent() ? candidate : publicOf(candidate);
    return compared.compareTo(version) == 0;
  }

  /** Prefix matching, with the candidate's release padded with zeros (1 matches ==1.0.*). */
  private boolean startsWithPrefix(Version candidate) {
    if (candidate.epoch() != prefixEpoch) {
      return false;
    }
    List<Long> release = candidate.release();
    for (int i = 0; i < prefix.size(); i++) {
      long number = i < release.size() ? release.get(i) : 0;
      if (number != prefix.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code <V} excludes pre-releases of V itself unless V is a pre-release. */
  private boolean isLess(Version candidate) {
    if (candidate.compareTo(version) >= 0) {
      return false;
    }
    if (!version.isPreRelease() && candidate.isPreRelease()) {
      Version earliestPreRelease = Version.parse(version.publicVersion() + ".dev0");
      return candidate.compareTo(earliestPreRelease) < 0;
    }
    return true;
  }

  /** {@code >V} excludes post-releases of V unless V is a post-release, and local versions of V. */
  private boolean isGreater(Version candidate) {
    if (candidate.compareTo(version) <= 0) {
      return false;
    }
    if (!version.isPostRelease()
        && candidate.isPostRelease()
        && postReleaseBase(candidate).compareTo(version) == 0) {
      return false;
    }
    return candidate.local().isEmpty() || publicOf(candidate).compareTo(version) != 0;
  }

  /** The version a post-release follows: 1.0.post1 → 1.0, 1.0a1.post2.dev3 → 1.0a1. */
  private static Version postReleaseBase(Version postRelease) {
    String text = postRelease.publicVersion(); // normalized: ".post" only starts the post segment
    return Version.parse(text.substring(0, text.indexOf(".post")));
  }

  private static Version publicOf(Version candidate) {
    return candidate.local().isEmpty() ? candidate : Version.parse(candidate.publicVersion());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpecifierClause other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return operator.symbol() + versionText;
  }
}
