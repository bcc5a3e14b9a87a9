package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.packaging.requirements.SpecifierSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses the file pip would install for a requirement on a target, among an index page's files:
 * files with an allowed hash first, then not yanked, then the highest version, then wheels by tag
 * priority over sdists, then the highest build tag (pip's {@code CandidateEvaluator._sort_key}).
 */
public final class FileSelector {
  private FileSelector() {}

  /**
   * Chooses among {@code files}, one project's index page, for a requirement's {@code specifiers}.
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
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(specifiers, "specifiers");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(allowedHashes, "allowedHashes");
    Set<String> hashes = lowerCase(allowedHashes);
    List<Candidate> all = candidates(files, target, hashes);
    VersionFilter versions = new VersionFilter(specifiers, allowPreReleases);
    Comparator<Candidate> order = preference(target);
    boolean pinned = versions.pinned();

    Pick pick = pick(all, versions, order, pinned, !onlyBinary, !hashes.isEmpty());
    Predicate<Candidate> matching = versions.acceptedAmong(all);
    Predicate<Candidate> pickAccepts = versions.acceptedAmong(fitting(all, !onlyBinary));
    int considered = (int) all.stream().filter(matching.or(pickAccepts)).count();
    SelectionReasons reasons = new SelectionReasons(target, specifiers);

    if (pick.best().isPresent()) {
      Candidate best = pick.best().get();
      if (!hashes.isEmpty() && !best.hashAllowed()) {
        return new Selection(
            Optional.empty(),
            Selection.Outcome.HASH_MISMATCH,
            reasons.hashMismatch(best),
            Optional.empty(),
            considered);
      }
      if (best.isWheel()) {
        return new Selection(
            Optional.of(best.file()),
            Selection.Outcome.WHEEL,
            reasons.wheel(best),
            Optional.empty(),
            considered);
      }
      Optional<String> bestWheelVersion =
          pick.eligible().stream()
              .filter(Candidate::isWheel)
              .map(Candidate::version)
              .max(Comparator.naturalOrder())
              .map(Version::toString);
      return new Selection(
          Optional.of(best.file()),
          Selection.Outcome.SDIST_ONLY,
          reasons.sdist(best, all, bestWheelVersion),
          bestWheelVersion,
          considered);
    }

    if (onlyBinary) {
      // Binaries only, and none fits: an sdist pip would otherwise build still tells the caller
      // that building one would help.
      Pick withSdists = pick(all, versions, order, pinned, true, !hashes.isEmpty());
      Optional<Candidate> sdist = withSdists.best().filter(c -> !c.isWheel());
      if (sdist.isPresent()) {
        return new Selection(
            Optional.empty(),
            Selection.Outcome.SDIST_ONLY,
            reasons.sdistOnlyBinary(sdist.get(), all),
            Optional.empty(),
            considered);
      }
    }

    List<Candidate> matched = all.stream().filter(matching).toList();
    if (matched.isEmpty()) {
      return noFile(
          Selection.Outcome.NO_MATCHING_VERSION, reasons.noVersion(files.size(), all), considered);
    }
    List<Candidate> usable = matched.stream().filter(c -> pinned || !c.yanked()).toList();
    if (usable.isEmpty()) {
      return noFile(Selection.Outcome.NO_MATCHING_VERSION, reasons.allYanked(matched), considered);
    }
    return noFile(
        Selection.Outcome.NO_COMPATIBLE_FILE, reasons.noCompatibleFile(usable), considered);
  }

  private static Selection noFile(Selection.Outcome outcome, String reason, int considered) {
    return new Selection(Optional.empty(), outcome, reason, Optional.empty(), considered);
  }

  /** The best file and the files it was chosen among. */
  private record Pick(Optional<Candidate> best, List<Candidate> eligible) {}

  /**
   * pip's steps: keep the files its link evaluation keeps, filter them by version (falling back to
   * pre-releases among these), by hash, drop yanked files unless pinned and nothing else is left,
   * then take the most preferred.
   */
  private static Pick pick(
      List<Candidate> all,
      VersionFilter versions,
      Comparator<Candidate> order,
      boolean pinned,
      boolean sdistsAllowed,
      boolean hashesRequired) {
    List<Candidate> fitting = fitting(all, sdistsAllowed);
    List<Candidate> applicable = fitting.stream().filter(versions.acceptedAmong(fitting)).toList();
    if (hashesRequired && applicable.stream().anyMatch(Candidate::hashAllowed)) {
      // pip keeps files without any digest too; only files with a wrong one go.
      applicable =
          applicable.stream()
              .filter(
                  c -> c.hashAllowed() || c.file().hashes() == null || c.file().hashes().isEmpty())
              .toList();
    }
    boolean allYanked = applicable.stream().allMatch(Candidate::yanked);
    List<Candidate> eligible =
        applicable.stream().filter(c -> !c.yanked() || (allYanked && pinned)).toList();
    Candidate best = null;
    for (Candidate candidate : eligible) {
      // ">=": on a tie the later file wins, as pip's resolver walks the sorted list backwards.
      if (best == null || order.compare(candidate, best) >= 0) {
        best = candidate;
      }
    }
    return new Pick(Optional.ofNullable(best), eligible);
  }

  private static List<Candidate> fitting(List<Candidate> all, boolean sdistsAllowed) {
    return all.stream().filter(c -> c.fits(sdistsAllowed)).toList();
  }

  /**
   * pip's sort key, ascending from worst to best: allowed hash, not yanked, version, then a wheel's
   * tag priority (an sdist ranks below every wheel of its version), then build tag.
   */
  private static Comparator<Candidate> preference(TargetEnvironment target) {
    int sdistRank = -target.supportedTags().size();
    return Comparator.comparing(Candidate::hashAllowed)
        .thenComparing(c -> !c.yanked())
        .thenComparing(Candidate::version)
        .thenComparingInt(
            c -> c.tagPriority().isPresent() ? -c.tagPriority().getAsInt() : sdistRank)
        .thenComparing(Candidate::buildTag, Candidate.BUILD_TAG_ORDER);
  }

  private static List<Candidate> candidates(
      List<CandidateFile> files, TargetEnvironment target, Set<String> allowedHashes) {
    Map<String, Boolean> fitsPythonByRequirement = new HashMap<>();
    Version python = Version.parse(target.pythonFullVersion());
    SupportedTags supported = SupportedTags.of(target);
    List<Candidate> candidates = new ArrayList<>();
    for (CandidateFile file : files) {
      DistributionFilename name;
      try {
        name = DistributionFilename.parse(file.filename());
      } catch (PackagingException e) {
        continue; // not a wheel or sdist, e.g. .exe or .egg: pip skips these too
      }
      OptionalInt tagPriority =
          name instanceof WheelFilename wheel
              ? Candidate.tagPriority(wheel, supported)
              : OptionalInt.empty();
      boolean fitsPython =
          file.requiresPython() == null
              || file.requiresPython()
                  .map(
                      text ->
                          fitsPythonByRequirement.computeIfAbsent(
                              text, t -> admitsPython(t, python)))
                  .orElse(true);
      candidates.add(
          new Candidate(
              file,
              name,
              Candidate.versionText(name),
              tagPriority,
              fitsPython,
              hasAllowedHash(file, allowedHashes)));
    }
    return candidates;
  }

  /** pip ignores a requires-python it cannot parse, so such a file fits. */
  private static boolean admitsPython(String requiresPython, Version python) {
    if (requiresPython.isBlank()) {
      return true;
    }
    try {
      return SpecifierSet.parse(requiresPython).contains(python, true);
    } catch (PackagingException e) {
      return true;
    }
  }

  private static boolean hasAllowedHash(CandidateFile file, Set<String> allowedHashes) {
    if (allowedHashes.isEmpty() || file.hashes() == null) {
      return false;
    }
    for (Map.Entry<String, String> hash : file.hashes().entrySet()) {
      String value = hash.getKey() + ":" + hash.getValue();
      if (allowedHashes.contains(value.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> lowerCase(Set<String> values) {
    Set<String> lowered = new HashSet<>();
    for (String value : values) {
      lowered.add(value.strip().toLowerCase(Locale.ROOT));
    }
    return lowered;
  }
}
