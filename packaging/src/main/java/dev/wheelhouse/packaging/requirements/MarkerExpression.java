package dev.wheelhouse.packaging.requirements;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A node of a parsed marker: a comparison, a conjunction, a disjunction or a parenthesized group.
 */
interface MarkerExpression {
  /** Evaluates this node with {@code values} supplying the variables. */
  boolean evaluate(MarkerValues values);

  /** Whether this node uses the {@code extra} variable. */
  boolean usesExtra();

  /** The normalized text of this node. */
  String format();

  /** {@code a and b and ...}. */
  record All(List<MarkerExpression> operands) implements MarkerExpression {
    public All {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean evaluate(MarkerValues values) {
      return operands.stream().allMatch(operand -> operand.evaluate(values));
    }

    @Override
    public boolean usesExtra() {
      return operands.stream().anyMatch(MarkerExpression::usesExtra);
    }

    @Override
    public String format() {
      return operands.stream().map(MarkerExpression::format).collect(Collectors.joining(" and "));
    }
  }

  /** {@code a or b or ...}. */
  record Any(List<MarkerExpression> operands) implements MarkerExpression {
    public Any {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean evaluate(MarkerValues values) {
      return operands.stream().anyMatch(operand -> operand.evaluate(values));
    }

    @Override
    public boolean usesExtra() {
      return operands.stream().anyMatch(MarkerExpression::usesExtra);
    }

    @Override
    public String format() {
      return operands.stream().map(MarkerExpression::format).collect(Collectors.joining(" or "));
    }
  }

  /** Parentheses as written, kept so that the normalized text groups as the original did. */
  record Group(MarkerExpression inner) implements MarkerExpression {
    @Override
    public boolean evaluate(MarkerValues values) {
      return inner.evaluate(values);
    }

    @Override
    public boolean usesExtra() {
      return inner.usesExtra();
    }

    @Override
    public String format() {
      return "(" + inner.format() + ")";
    }
  }
}
