package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.requirements.SpecifierSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the file pip would install for a requirement on a target, among an index page's files:
 * files with an allowed hash first, then not yanked, then wheels over sdists, then the highest
 * version, then the best tag priority, then the highest build tag.
 */
public final class FileSelector {
  private FileSelector() {}

  /**
   * Chooses among {@code files} for a requirement of {@code project}'s {@code specifiers}.
   *
   * @param allowedHashes {@code algorithm:hex} values; empty means any file is allowed
   * @param allowPreReleases pip's {@code --pre}
   * @param onlyBinary pip's {@code --only-binary=:all:}: sdists are never chosen, though they still
   *     decide between NO_COMPATIBLE_FILE and SDIST_ONLY
   */
  public static Selection select(
      List<CandidateFile> files,
      SpecifierSet specifiers,
      TargetEnvironment target,
      Set<String> allowedHashes,
      boolean allowPreReleases,
      boolean onlyBinary) {
    throw new UnsupportedOperationException("TODO");
  }
}
