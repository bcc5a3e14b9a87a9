package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.requirements.Marker;
import dev.wheelhouse.packaging.requirements.SpecifierSet;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One requirement to prewarm: a requirements-file line or a locked package, with the constraints
 * that apply to its name.
 *
 * @param project the project, normalized
 * @param specifiers the versions the requirement accepts (a lock pins {@code ==version})
 * @param hashes the allowed hashes as {@code algorithm:hex}; empty allows any file
 * @param marker the environment marker, if any
 * @param constraints {@code -c} lines of the same name, applied where their own marker holds
 * @param source where the requirement comes from ({@code file:line}, or the lock file)
 * @param skipped why it is not prewarmed at all (direct URL, VCS source, no version)
 */
record PrewarmItem(
    ProjectName project,
    SpecifierSet specifiers,
    Set<String> hashes,
    Optional<Marker> marker,
    List<Constraint> constraints,
    String source,
    Optional<String> skipped) {

  PrewarmItem {
    hashes = Set.copyOf(hashes);
    constraints = List.copyOf(constraints);
  }

  /**
   * A {@code -c} line: narrows the versions (and the hashes) of a requirement of the same name.
   *
   * @param specifiers the versions the constraint accepts
   * @param hashes its {@code --hash} values, {@code algorithm:hex}
   * @param marker its environment marker, if any
   */
  record Constraint(SpecifierSet specifiers, Set<String> hashes, Optional<Marker> marker) {
    Constraint {
      hashes = Set.copyOf(hashes);
    }
  }

  /**
   * What the requirement asks for on one target once constraints are applied.
   *
   * @param specifiers the requirement's and the applying constraints' specifiers together
   * @param pinnedVersion the one version they pin, if they pin one
   * @param hashes the allowed hashes; empty allows any file
   */
  record Wanted(SpecifierSet specifiers, Optional<String> pinnedVersion, Set<String> hashes) {}

  /** Whether the marker holds for {@code target} (no marker: always). */
  boolean appliesTo(TargetEnvironment target) {
    return marker.isEmpty() || marker.get().evaluate(target.markerEnvironment(), Set.of());
  }

  /** The versions and hashes wanted on {@code target}, constraints included. */
  Wanted wantedOn(TargetEnvironment target) {
    List<SpecifierSet> sets = new ArrayList<>();
    sets.add(specifiers);
    Optional<String> pinned = specifiers.pinnedVersion();
    Set<String> allowed = new LinkedHashSet<>(hashes);
    for (Constraint constraint : constraints) {
      if (constraint.marker().isPresent()
          && !constraint.marker().get().evaluate(target.markerEnvironment(), Set.of())) {
        continue;
      }
      sets.add(constraint.specifiers());
      if (pinned.isEmpty()) {
        pinned = constraint.specifiers().pinnedVersion();
      }
      if (hashes.isEmpty()) {
        // pip takes a constrained requirement's hashes from the constraint when it has none.
        allowed.addAll(constraint.hashes());
      }
    }
    return new Wanted(combine(sets), pinned, allowed);
  }

  private static SpecifierSet combine(List<SpecifierSet> sets) {
    List<String> clauses = new ArrayList<>();
    for (SpecifierSet set : sets) {
      if (!set.isEmpty()) {
        clauses.add(set.toString());
      }
    }
    if (clauses.size() == 1) {
      return sets.stream().filter(s -> !s.isEmpty()).findFirst().orElseThrow();
    }
    return clauses.isEmpty() ? SpecifierSet.any() : SpecifierSet.parse(String.join(",", clauses));
  }
}
