package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.ProjectName;
import java.util.Optional;
import java.util.Set;

/** A PEP 508 dependency specification: {@code name[extras] (specifiers | @ url) ; marker}. */
public record Requirement(
    ProjectName name,
    Set<String> extras,
    SpecifierSet specifiers,
    Optional<String> url,
    Optional<Marker> marker) {

  /** Parses one PEP 508 line (no pip options); throws {@link RequirementSyntaxException}. */
  public static Requirement parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Whether the marker (if any) holds in {@code environment}. */
  public boolean appliesTo(java.util.Map<String, String> environment) {
    throw new UnsupportedOperationException("TODO");
  }
}
