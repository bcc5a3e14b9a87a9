package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.ProjectName;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PEP 508 dependency specification: {@code name[extras] (specifiers | @ url) ; marker}.
 *
 * @param name the project, normalized
 * @param extras the extras, normalized (PEP 685) and sorted
 * @param specifiers the version specifiers; empty for a URL requirement
 * @param url the direct reference after {@code @}, as written
 * @param marker the environment marker after {@code ;}
 */
public record Requirement(
    ProjectName name,
    Set<String> extras,
    SpecifierSet specifiers,
    Optional<String> url,
    Optional<Marker> marker) {

  /** Normalizes the extras; a requirement has either specifiers or a URL, never both. */
  public Requirement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(extras, "extras");
    Objects.requireNonNull(specifiers, "specifiers");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(marker, "marker");
    TreeSet<String> normalized = new TreeSet<>();
    extras.forEach(extra -> normalized.add(ProjectName.normalize(extra)));
    extras = Collections.unmodifiableSortedSet(normalized);
    if (url.isPresent() && !specifiers.isEmpty()) {
      throw new IllegalArgumentException(
          "requirement " + name + " has both a URL and version specifiers");
    }
  }

  /** Parses one PEP 508 line (no pip options); throws {@link RequirementSyntaxException}. */
  public static Requirement parse(String text) {
    if (text == null) {
      throw new RequirementSyntaxException("invalid requirement: null");
    }
    return new RequirementParser(text).parse();
  }

  /** Whether the marker (if any) holds in {@code environment}. */
  public boolean appliesTo(Map<String, String> environment) {
    return appliesTo(environment, Set.of());
  }

  /**
   * Whether the marker (if any) holds in {@code environment} when {@code requestedExtras} of the
   * requiring project are wanted, as for a dependency declared under {@code extra == "gpu"}.
   */
  public boolean appliesTo(Map<String, String> environment, Set<String> requestedExtras) {
    return marker.map(m -> m.evaluate(environment, requestedExtras)).orElse(true);
  }

  /** The normalized PEP 508 form, e.g. {@code requests[socks]>=2.31; python_version >= "3.8"}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name.value());
    if (!extras.isEmpty()) {
      out.append('[').append(String.join(",", extras)).append(']');
    }
    out.append(specifiers);
    url.ifPresent(u -> out.append(" @ ").append(u).append(marker.isPresent() ? " " : ""));
    marker.ifPresent(m -> out.append("; ").append(m));
    return out.toString();
  }
}
