package dev.wheelhouse.packaging;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A PEP 503 normalized project name. The value is always valid and normalized, whichever way the
 * record is constructed, so it is safe to use as a path segment or a storage key.
 */
public record ProjectName(String value) implements Comparable<ProjectName> {
  /** Longer names are not useful and only make keys and URLs large. */
  static final int MAX_LENGTH = 200;

  // PEP 508 name rule; ASCII only, so no case-folding surprises.
  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  /** Validates and normalizes {@code value}; throws {@link InvalidNameException}. */
  public ProjectName {
    Optional<String> problem = problem(value);
    if (problem.isPresent()) {
      throw new InvalidNameException(
          "invalid project name " + PackagingException.quote(value) + ": " + problem.get());
    }
    value = normalize(value);
  }

  /**
   * Parses a project name in any spelling, e.g. {@code "Friendly_Bard"} → {@code friendly-bard}.
   */
  public static ProjectName of(String raw) {
    return new ProjectName(raw);
  }

  /** PEP 503 normalization without validation: runs of {@code -_.} become {@code -}, lower case. */
  public static String normalize(String raw) {
    if (raw == null) {
      throw new InvalidNameException("invalid project name: null");
    }
    return SEPARATORS.matcher(raw).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  public static boolean isValid(String raw) {
    return problem(raw).isEmpty();
  }

  /** True if {@code raw} is valid and already in normalized form. */
  public static boolean isNormalized(String raw) {
    return isValid(raw) && raw.equals(normalize(raw));
  }

  private static Optional<String> problem(String raw) {
    if (raw == null) {
      return Optional.of("missing");
    }
    if (raw.isEmpty()) {
      return Optional.of("empty");
    }
    if (raw.length() > MAX_LENGTH) {
      return Optional.of("longer than " + MAX_LENGTH + " characters");
    }
    if (!VALID.matcher(raw).matches()) {
      return Optional.of(
          "must consist of ASCII letters, digits, '.', '_' and '-', "
              + "and start and end with a letter or digit");
    }
    return Optional.empty();
  }

  @Override
  public int compareTo(ProjectName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
