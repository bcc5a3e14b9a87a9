package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A PEP 440 version specifier set such as {@code >=1.2,!=1.3.*,<2}; empty matches everything. */
public final class SpecifierSet {
  private static final SpecifierSet ANY = new SpecifierSet(List.of());
  private static final Pattern COMMA = Pattern.compile(",");

  private final List<SpecifierClause> clauses;

  private SpecifierSet(List<SpecifierClause> clauses) {
    this.clauses = List.copyOf(clauses);
  }

  /** Parses a comma-separated specifier set; throws {@link RequirementSyntaxException}. */
  public static SpecifierSet parse(String text) {
    if (text == null) {
      throw new RequirementSyntaxException("invalid version specifier: null");
    }
    if (text.isBlank()) {
      return ANY;
    }
    List<SpecifierClause> clauses = new ArrayList<>();
    for (String part : COMMA.split(text, -1)) {
      String clause = part.strip();
      if (clause.isEmpty()) {
        throw new RequirementSyntaxException(
            "invalid version specifier " + PackagingException.quote(text) + ": empty clause");
      }
      try {
        clauses.add(SpecifierClause.parse(clause));
      } catch (RequirementSyntaxException e) {
        if (clause.equals(text.strip())) {
          throw e;
        }
        throw new RequirementSyntaxException(
            "invalid version specifier set "
                + PackagingException.quote(text)
                + ": "
                + e.getMessage());
      }
    }
    return new SpecifierSet(clauses);
  }

  /** A set of already parsed clauses, for the requirement parser. */
  static SpecifierSet of(List<SpecifierClause> clauses) {
    return clauses.isEmpty() ? ANY : new SpecifierSet(clauses);
  }

  /** The empty set, which matches every version. */
  public static SpecifierSet any() {
    return ANY;
  }

  /**
   * Whether {@code version} satisfies every clause. Pre-releases match only when {@code
   * allowPreReleases} is set or a clause names a pre-release itself (PEP 440 rules).
   */
  public boolean contains(Version version, boolean allowPreReleases) {
    if (version.isPreRelease() && !allowPreReleases && !namesPreRelease()) {
      return false;
    }
    for (SpecifierClause clause : clauses) {
      if (!clause.matches(version)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a version string (for {@code ===}, not necessarily PEP 440) satisfies the set. */
  public boolean containsText(String version) {
    return containsText(version, false);
  }

  /**
   * Whether a version string satisfies the set: {@code ===} clauses compare it as written (ignoring
   * case), the others as a PEP 440 version, which a string that is none never satisfies.
   * Pre-releases as in {@link #contains}.
   */
  public boolean containsText(String version, boolean allowPreReleases) {
    Optional<Version> parsed =
        Version.isValid(version) ? Optional.of(Version.parse(version)) : Optional.empty();
    if (parsed.isPresent()
        && parsed.get().isPreRelease()
        && !allowPreReleases
        && !namesPreRelease()) {
      return false;
    }
    for (SpecifierClause clause : clauses) {
      if (!clause.matches(parsed, version)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a clause names a pre-release ({@code >=2.0b1}, but not {@code !=2.0b1}), which lets
   * pre-releases match without being allowed.
   */
  public boolean namesPreRelease() {
    return clauses.stream().anyMatch(SpecifierClause::namesPreRelease);
  }

  /** The single version this set pins ({@code ==X} without a wildcard, or {@code ===X}). */
  public Optional<String> pinnedVersion() {
    if (clauses.size() != 1) {
      return Optional.empty();
    }
    SpecifierClause only = clauses.get(0);
    boolean pins =
        only.operator() == SpecifierOperator.IDENTITY
            || (only.operator() == SpecifierOperator.EQUAL && !only.isWildcard());
    return pins ? Optional.of(only.versionText()) : Optional.empty();
  }

  /** The normalized clauses in the order written, e.g. {@code [">=1.0", "<2"]}. */
  public List<String> clauses() {
    return clauses.stream().map(SpecifierClause::toString).collect(Collectors.toUnmodifiableList());
  }

  /** Whether the set has no clause (and so matches every version). */
  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  /** Equal when the normalized clauses are equal and in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SpecifierSet other && clauses.equals(other.clauses);
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return clauses.hashCode();
  }

  /** The normalized clauses joined by commas, e.g. {@code >=1.0,<2}; empty for {@link #any()}. */
  @Override
  public String toString() {
    return clauses.stream().map(SpecifierClause::toString).collect(Collectors.joining(","));
  }
}
