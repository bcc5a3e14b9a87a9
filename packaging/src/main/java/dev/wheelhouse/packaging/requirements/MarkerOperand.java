package dev.wheelhouse.packaging.requirements;

import java.util.Set;

/**
 * One side of a marker comparison: a variable name or a quoted string's content.
 *
 * @param text the variable name, or the string without its quotes
 * @param isVariable whether {@code text} names a variable
 */
record MarkerOperand(String text, boolean isVariable) {
  static final String EXTRA = "extra";
  static final String EXTRAS = "extras";
  static final String DEPENDENCY_GROUPS = "dependency_groups";

  /** The PEP 508 string variables, and the two set variables PEP 751 lock files add. */
  static final Set<String> VARIABLES =
      Set.of(
          "python_version",
          "python_full_version",
          "os_name",
          "sys_platform",
          "platform_release",
          "platform_system",
          "platform_version",
          "platform_machine",
          "platform_python_implementation",
          "implementation_name",
          "implementation_version",
          EXTRA,
          EXTRAS,
          DEPENDENCY_GROUPS);

  static MarkerOperand variable(String name) {
    return new MarkerOperand(name, true);
  }

  static MarkerOperand literal(String value) {
    return new MarkerOperand(value, false);
  }

  boolean is(String variable) {
    return isVariable && text.equals(variable);
  }

  /** Whether this is one of the set-valued variables, which only {@code in} can test. */
  boolean isSet() {
    return is(EXTRAS) || is(DEPENDENCY_GROUPS);
  }

  /** The value with {@code values} substituted for a variable. */
  String resolve(MarkerValues values) {
    return isVariable ? values.value(text) : text;
  }

  /** As written in a normalized marker: strings in double quotes unless they contain one. */
  String format() {
    if (isVariable) {
      return text;
    }
    return text.indexOf('"') < 0 ? '"' + text + '"' : "'" + text + "'";
  }
}
