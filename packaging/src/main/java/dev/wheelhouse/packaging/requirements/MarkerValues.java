package dev.wheelhouse.packaging.requirements;

import java.util.Map;
import java.util.Set;

/**
 * What marker variables stand for during one evaluation: the environment, the one extra being tried
 * ({@code ""} for none), and the sets PEP 751 lock files may test with {@code in}.
 *
 * @param environment marker variables by name, e.g. {@code python_version} → {@code 3.12}
 * @param extra the normalized extra the {@code extra} variable stands for
 * @param extras the normalized extras for the {@code extras} variable
 * @param dependencyGroups the normalized group names for the {@code dependency_groups} variable
 */
record MarkerValues(
    Map<String, String> environment,
    String extra,
    Set<String> extras,
    Set<String> dependencyGroups) {

  /** The value of a string variable; throws {@link IllegalArgumentException} if it is missing. */
  String value(String variable) {
    if (variable.equals(MarkerOperand.EXTRA)) {
      return extra;
    }
    String value = environment.get(variable);
    if (value == null) {
      throw new IllegalArgumentException(
          "marker variable " + variable + " is missing from the evaluation environment");
    }
    return value;
  }

  /** The value of a set variable ({@code extras} or {@code dependency_groups}). */
  Set<String> set(String variable) {
    return variable.equals(MarkerOperand.EXTRAS) ? extras : dependencyGroups;
  }
}
