package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.Version;
import java.util.Optional;

/** A PEP 440 version specifier set such as {@code >=1.2,!=1.3.*,<2}; empty matches everything. */
public final class SpecifierSet {
  /** Parses a comma-separated specifier set; throws {@link RequirementSyntaxException}. */
  public static SpecifierSet parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The empty set, which matches every version. */
  public static SpecifierSet any() {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Whether {@code version} satisfies every clause. Pre-releases match only when {@code
   * allowPreReleases} is set or a clause names a pre-release itself (PEP 440 rules).
   */
  public boolean contains(Version version, boolean allowPreReleases) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Whether a version string (for {@code ===}, not necessarily PEP 440) satisfies the set. */
  public boolean containsText(String version) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The single version this set pins ({@code ==X} without a wildcard, or {@code ===X}). */
  public Optional<String> pinnedVersion() {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean isEmpty() {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String toString() {
    throw new UnsupportedOperationException("TODO");
  }
}
