package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.ProjectName;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PEP 508 environment marker such as {@code python_version >= "3.10" and platform_machine ==
 * "aarch64"}.
 *
 * <p>Comparisons follow PEP 508: when the left value is a PEP 440 version and the right one forms a
 * valid specifier with the operator, they compare as versions ({@code python_full_version <
 * "3.10"}); otherwise {@code ==}/{@code !=} compare strings, {@code in}/{@code not in} test for a
 * substring, and, as in {@code packaging} (which pip uses), {@code <=}/{@code >=} hold on equal
 * strings and {@code <}/{@code >} never. The set variables of PEP 751 lock files, {@code extras}
 * and {@code dependency_groups}, are accepted after {@code in}/{@code not in}.
 */
public final class Marker {
  private final MarkerExpression root;
  private final String normalized;

  private Marker(MarkerExpression root) {
    this.root = root;
    this.normalized = root.format();
  }

  /** Parses a marker expression; throws {@link RequirementSyntaxException}. */
  public static Marker parse(String text) {
    if (text == null) {
      throw new RequirementSyntaxException("invalid marker: null");
    }
    TextCursor cursor = new TextCursor(text, "marker");
    Marker marker = parse(cursor);
    if (!cursor.atEnd()) {
      throw cursor.error("expected 'and', 'or' or the end of the marker");
    }
    return marker;
  }

  /**
   * Parses a marker from {@code cursor}'s position up to the first text that cannot continue it.
   */
  static Marker parse(TextCursor cursor) {
    return new Marker(new MarkerParser(cursor).parse());
  }

  /**
   * Evaluates against marker variables ({@code python_version}, {@code python_full_version}, {@code
   * platform_machine}, {@code sys_platform}, {@code os_name}, {@code platform_system}, {@code
   * implementation_name}, {@code platform_python_implementation}, {@code implementation_version},
   * {@code platform_release}, {@code platform_version}); the marker's extra variable is compared
   * with each of {@code extras}. A variable missing from {@code environment} is an error.
   *
   * <p>The marker holds if it holds for any one of {@code extras} (normalized as PEP 685 says);
   * with no extras, the extra variable is the empty string, so {@code extra == "x"} is false. A
   * missing variable, or {@code ~=} between values that are not versions, throws {@link
   * IllegalArgumentException}.
   */
  public boolean evaluate(Map<String, String> environment, Set<String> extras) {
    return evaluate(environment, extras, Set.of());
  }

  /**
   * Evaluates as {@link #evaluate(Map, Set)}, with {@code dependencyGroups} for a lock file's
   * {@code dependency_groups} variable (PEP 751).
   */
  public boolean evaluate(
      Map<String, String> environment, Set<String> extras, Set<String> dependencyGroups) {
    Set<String> normalizedExtras = normalizeAll(extras);
    Set<String> normalizedGroups = normalizeAll(dependencyGroups);
    if (normalizedExtras.isEmpty() || !root.usesExtra()) {
      return root.evaluate(new MarkerValues(environment, "", normalizedExtras, normalizedGroups));
    }
    for (String extra : normalizedExtras) {
      if (root.evaluate(new MarkerValues(environment, extra, normalizedExtras, normalizedGroups))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> normalizeAll(Set<String> names) {
    return names.stream().map(ProjectName::normalize).collect(Collectors.toUnmodifiableSet());
  }

  /** Equal when the normalized texts are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Marker other && normalized.equals(other.normalized);
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return normalized.hashCode();
  }

  /**
   * The normalized marker: single spaces around operators, strings in double quotes, extra names
   * normalized, and only the parentheses that group {@code and}/{@code or} expressions.
   */
  @Override
  public String toString() {
    return normalized;
  }
}
