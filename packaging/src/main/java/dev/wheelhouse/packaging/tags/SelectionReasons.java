package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Tag;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.packaging.requirements.SpecifierSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The one-line reasons a {@link Selection} carries. */
final class SelectionReasons {
  private final TargetEnvironment target;
  private final SpecifierSet specifiers;

  SelectionReasons(TargetEnvironment target, SpecifierSet specifiers) {
    this.target = target;
    this.specifiers = specifiers;
  }

  String wheel(Candidate best) {
    Tag tag = target.supportedTags().get(best.tagPriority().orElseThrow());
    return release(best) + ": " + best.file().filename() + " (tag " + tag + ")";
  }

  String sdist(Candidate best, List<Candidate> all, Optional<String> bestWheelVersion) {
    return release(best)
        + " "
        + wheelsBesides(best, all)
        + "; pip would build "
        + best.file().filename()
        + bestWheelVersion.map(v -> "; newest version with a fitting wheel: " + v).orElse("");
  }

  String sdistOnlyBinary(Candidate sdist, List<Candidate> all) {
    return release(sdist)
        + " "
        + wheelsOf(sdist, all)
        + "; only its sdist "
        + sdist.file().filename()
        + " fits, and binaries only were asked for";
  }

  String hashMismatch(Candidate best) {
    Map<String, String> hashes = best.file().hashes();
    String digests =
        hashes == null || hashes.isEmpty()
            ? "which lists no hash"
            : "with "
                + hashes.entrySet().stream()
                    .map(e -> printable(e.getKey() + ":" + e.getValue()))
                    .sorted()
                    .collect(Collectors.joining(", "));
    return "no fitting file has an allowed hash; pip would pick "
        + best.file().filename()
        + " "
        + digests;
  }

  String noVersion(int fileCount, List<Candidate> all) {
    if (all.isEmpty()) {
      if (fileCount == 0) {
        return "the index lists no files";
      }
      return fileCount == 1
          ? "the one listed file is not a wheel or sdist"
          : "none of the " + fileCount + " listed files is a wheel or sdist";
    }
    return "no version matches " + requirement() + " (latest " + latest(all) + ")";
  }

  String allYanked(List<Candidate> matched) {
    Version newest = matched.stream().map(Candidate::version).max(Comparator.naturalOrder()).get();
    return "every file matching "
        + requirement()
        + " is yanked (newest "
        + newest
        + "); only an exact == pin would install one";
  }

  String noCompatibleFile(List<Candidate> usable) {
    Version newest = usable.stream().map(Candidate::version).max(Comparator.naturalOrder()).get();
    List<Candidate> newestFiles = usable.stream().filter(c -> c.version().equals(newest)).toList();
    Candidate first = newestFiles.get(0);
    if (newestFiles.stream().noneMatch(Candidate::fitsPython)) {
      return release(first)
          + " requires Python "
          + printable(first.file().requiresPython().orElse(""))
          + ", target has "
          + target.pythonFullVersion();
    }
    List<Candidate> wheels =
        newestFiles.stream().filter(c -> c.fitsPython() && c.isWheel()).toList();
    return release(first) + " " + describeWheels(wheels);
  }

  private String wheelsOf(Candidate release, List<Candidate> all) {
    return describeWheels(
        all.stream().filter(c -> c.isWheel() && c.version().equals(release.version())).toList());
  }

  /**
   * Why an sdist was chosen over wheels of its own version: they fit but were passed over, or they
   * do not fit.
   */
  private String wheelsBesides(Candidate sdist, List<Candidate> all) {
    List<Candidate> fitting =
        all.stream()
            .filter(c -> c.isWheel() && c.fits(false) && c.version().equals(sdist.version()))
            .toList();
    if (fitting.isEmpty()) {
      return wheelsOf(sdist, all);
    }
    return fitting.stream().allMatch(Candidate::yanked)
        ? "has only yanked wheels that fit"
        : "has no fitting wheel with an allowed hash";
  }

  /**
   * Lists the platforms the wheels are for or, when some platform would fit and the interpreter or
   * ABI is what does not, their full tags.
   */
  private String describeWheels(List<Candidate> wheels) {
    if (wheels.isEmpty()) {
      return "has no wheels";
    }
    Set<String> targetPlatforms =
        new HashSet<>(SupportedTags.platforms(target.arch(), target.libc()));
    targetPlatforms.add("any");
    Set<Tag> tags = new HashSet<>();
    for (Candidate wheel : wheels) {
      tags.addAll(((WheelFilename) wheel.name()).tags());
    }
    boolean platformFits = tags.stream().anyMatch(t -> targetPlatforms.contains(t.platform()));
    Set<String> listed = new TreeSet<>();
    for (Tag tag : tags) {
      listed.add(platformFits ? tag.toString() : tag.platform());
    }
    return "has wheels only for: " + String.join(", ", listed);
  }

  /** Index metadata as is when it is printable ASCII, else quoted so the reason stays one line. */
  private static String printable(String untrusted) {
    boolean plain = untrusted.chars().allMatch(c -> c >= ' ' && c <= '~');
    return plain ? untrusted : PackagingException.quote(untrusted);
  }

  private static String release(Candidate candidate) {
    return candidate.name().project() + " " + candidate.version();
  }

  private String requirement() {
    String text = specifiers.toString();
    return text.isEmpty() ? "any version" : text;
  }

  /** The newest release that is not yanked, preferring final releases. */
  private static Version latest(List<Candidate> all) {
    Comparator<Candidate> order =
        Comparator.comparing((Candidate c) -> !c.yanked())
            .thenComparing(c -> !c.version().isPreRelease())
            .thenComparing(Candidate::version);
    return all.stream().max(order).get().version();
  }
}
