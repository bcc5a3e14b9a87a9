package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.requirements.SpecifierSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which file versions a specifier set accepts, with pip's pre-release rule: pre-releases only with
 * {@code --pre}, when a clause names one, or when no final release among the files matches.
 */
final class VersionFilter {

  private final SpecifierSet specifiers;
  private final boolean allowPreReleases;
  private final boolean arbitraryEquality;
  private final boolean pinned;

  VersionFilter(SpecifierSet specifiers, boolean allowPreReleases) {
    this.specifiers = specifiers;
    this.allowPreReleases = allowPreReleases;
    List<String> clauses = specifiers.clauses();
    // "===" compares the version as spelled, which need not even be PEP 440.
    this.arbitraryEquality = clauses.stream().anyMatch(c -> c.startsWith("==="));
    this.pinned =
        clauses.stream()
            .anyMatch(c -> c.startsWith("===") || (c.startsWith("==") && !c.endsWith(".*")));
  }

  /**
   * Whether a clause pins one version ({@code ===X}, or {@code ==X} without a wildcard), which is
   * pip's condition for installing a yanked file.
   */
  boolean pinned() {
    return pinned;
  }

  /**
   * The versions accepted among {@code pool}: pip applies the pre-release fallback to the files it
   * kept, so whether pre-releases count depends on which other files are there.
   */
  Predicate<Candidate> acceptedAmong(List<Candidate> pool) {
    if (allowPreReleases || pool.stream().anyMatch(c -> matches(c, false))) {
      return c -> matches(c, allowPreReleases);
    }
    return c -> matches(c, true);
  }

  private boolean matches(Candidate candidate, boolean preReleases) {
    return arbitraryEquality
        ? specifiers.containsText(candidate.versionText())
        : specifiers.contains(candidate.version(), preReleases);
  }
}
