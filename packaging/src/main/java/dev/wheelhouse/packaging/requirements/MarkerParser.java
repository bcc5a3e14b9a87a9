package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.ProjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recursive descent over the PEP 508 marker grammar: {@code or} binds loosest, then {@code and},
 * then parentheses and comparisons.
 */
final class MarkerParser {
  private static final Pattern OR = Pattern.compile("\\bor\\b");
  private static final Pattern AND = Pattern.compile("\\band\\b");
  private static final Pattern IN = Pattern.compile("\\bin\\b");
  private static final Pattern NOT = Pattern.compile("\\bnot\\b");
  private static final Pattern OPERATOR = Pattern.compile("===|==|~=|!=|<=|>=|<|>");
  private static final Pattern NAME = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'|\"([^\"]*)\"");

  private final TextCursor cursor;

  MarkerParser(TextCursor cursor) {
    this.cursor = cursor;
  }

  /** Parses a marker from the cursor's position up to what cannot continue it. */
  MarkerExpression parse() {
    MarkerExpression root = parseOr();
    return root instanceof MarkerExpression.Group group ? group.inner() : root;
  }

  private MarkerExpression parseOr() {
    List<MarkerExpression> operands = new ArrayList<>(List.of(parseAnd()));
    while (cursor.read(OR).isPresent()) {
      operands.add(parseAnd());
    }
    return operands.size() == 1 ? operands.get(0) : new MarkerExpression.Any(operands);
  }

  private MarkerExpression parseAnd() {
    List<MarkerExpression> operands = new ArrayList<>(List.of(parseAtom()));
    while (cursor.read(AND).isPresent()) {
      operands.add(parseAtom());
    }
    return operands.size() == 1 ? operands.get(0) : new MarkerExpression.All(operands);
  }

  private MarkerExpression parseAtom() {
    cursor.skipWhitespace();
    MarkerExpression atom;
    if (cursor.read('(')) {
      MarkerExpression inner = parseOr();
      cursor.expect(')', "')' to close the marker group");
      // Parentheses around one comparison or around a group add nothing.
      boolean redundant =
          inner instanceof MarkerComparison || inner instanceof MarkerExpression.Group;
      atom = redundant ? inner : new MarkerExpression.Group(inner);
    } else {
      atom = parseComparison();
    }
    cursor.skipWhitespace();
    return atom;
  }

  private MarkerComparison parseComparison() {
    MarkerOperand left = parseOperand();
    cursor.skipWhitespace();
    String operator = parseOperator();
    cursor.skipWhitespace();
    MarkerOperand right = parseOperand();
    return normalized(left, operator, right);
  }

  private MarkerOperand parseOperand() {
    Optional<String> name = cursor.read(NAME);
    if (name.isPresent()) {
      if (!MarkerOperand.VARIABLES.contains(name.get())) {
        throw cursor.error("unknown marker variable " + name.get() + ": expected one of PEP 508's");
      }
      return MarkerOperand.variable(name.get());
    }
    return cursor
        .readMatch(QUOTED)
        .map(m -> MarkerOperand.literal(m.group(1) != null ? m.group(1) : m.group(2)))
        .orElseThrow(() -> cursor.error("expected a marker variable or a quoted string"));
  }

  private String parseOperator() {
    if (cursor.read(IN).isPresent()) {
      return MarkerComparison.IN;
    }
    if (cursor.read(NOT).isPresent()) {
      if (!cursor.skipWhitespace() || cursor.read(IN).isEmpty()) {
        throw cursor.error("expected 'in' after 'not'");
      }
      return MarkerComparison.NOT_IN;
    }
    return cursor
        .read(OPERATOR)
        .orElseThrow(
            () ->
                cursor.error(
                    "expected a marker operator (<, <=, ==, !=, >=, >, ~=, ===, in, not in)"));
  }

  /**
   * Checks the set variables' use and normalizes names compared with {@code extra}, {@code extras}
   * and {@code dependency_groups} (PEP 685, PEP 735), so "Foo_Bar" and "foo-bar" match.
   */
  private MarkerComparison normalized(MarkerOperand left, String operator, MarkerOperand right) {
    boolean membership =
        operator.equals(MarkerComparison.IN) || operator.equals(MarkerComparison.NOT_IN);
    if (left.isSet() || (right.isSet() && (left.isVariable() || !membership))) {
      throw cursor.error(
          "extras and dependency_groups can only follow 'in' or 'not in' after a quoted string");
    }
    if (right.isSet() || (right.is(MarkerOperand.EXTRA) && !left.isVariable())) {
      left = MarkerOperand.literal(ProjectName.normalize(left.text()));
    }
    if (left.is(MarkerOperand.EXTRA) && !right.isVariable()) {
      right = MarkerOperand.literal(ProjectName.normalize(right.text()));
    }
    return new MarkerComparison(left, operator, right);
  }
}
