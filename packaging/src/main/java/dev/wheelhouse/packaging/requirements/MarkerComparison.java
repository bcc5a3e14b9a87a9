package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Version;
import java.util.Optional;

/**
 * One marker comparison such as {@code python_version >= "3.10"} or {@code "gpu" in extras}.
 *
 * @param left the left operand
 * @param operator {@code in}, {@code not in} or a version comparison operator
 * @param right the right operand
 */
record MarkerComparison(MarkerOperand left, String operator, MarkerOperand right)
    implements MarkerExpression {
  static final String IN = "in";
  static final String NOT_IN = "not in";

  @Override
  public boolean evaluate(MarkerValues values) {
    if (right.isSet()) {
      boolean member = values.set(right.text()).contains(left.text());
      return operator.equals(IN) == member;
    }
    String leftValue = left.resolve(values);
    String rightValue = right.resolve(values);
    if (operator.equals(IN)) {
      return rightValue.contains(leftValue);
    }
    if (operator.equals(NOT_IN)) {
      return !rightValue.contains(leftValue);
    }
    if (!usesExtra()) {
      Optional<Boolean> byVersion = compareVersions(leftValue, rightValue);
      if (byVersion.isPresent()) {
        return byVersion.get();
      }
    }
    return compareStrings(leftValue, rightValue);
  }

  /**
   * PEP 508: when the left value is a version and the right one makes a valid specifier with the
   * operator, the comparison is a PEP 440 one (pre-releases included).
   */
  private Optional<Boolean> compareVersions(String leftValue, String rightValue) {
    if (!Version.isValid(leftValue)) {
      return Optional.empty();
    }
    SpecifierClause clause;
    try {
      clause = SpecifierClause.parse(operator + rightValue);
    } catch (RequirementSyntaxException e) {
      return Optional.empty();
    }
    return Optional.of(clause.matches(Optional.of(Version.parse(leftValue)), leftValue));
  }

  /**
   * Without versions on both sides, as {@code packaging} (and so pip) does: {@code <=} and {@code
   * >=} hold on equal strings, {@code <} and {@code >} never, and {@code ~=} is undefined.
   */
  private boolean compareStrings(String leftValue, String rightValue) {
    return switch (operator) {
      case "==", "<=", ">=" -> leftValue.equals(rightValue);
      case "!=" -> !leftValue.equals(rightValue);
      case "===" -> leftValue.equalsIgnoreCase(rightValue);
      case "<", ">" -> false;
      default ->
          throw new IllegalArgumentException(
              "marker comparison "
                  + PackagingException.quote(leftValue + " " + operator + " " + rightValue)
                  + " is undefined: "
                  + operator
                  + " needs PEP 440 versions");
    };
  }

  @Override
  public boolean usesExtra() {
    return left.is(MarkerOperand.EXTRA) || right.is(MarkerOperand.EXTRA);
  }

  @Override
  public String format() {
    return left.format() + " " + operator + " " + right.format();
  }
}
