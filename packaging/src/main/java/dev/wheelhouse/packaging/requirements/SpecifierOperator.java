package dev.wheelhouse.packaging.requirements;

/** The comparison operators of PEP 440 version specifiers. */
enum SpecifierOperator {
  COMPATIBLE("~="),
  EQUAL("=="),
  NOT_EQUAL("!="),
  LESS_OR_EQUAL("<="),
  GREATER_OR_EQUAL(">="),
  LESS("<"),
  GREATER(">"),
  IDENTITY("===");

  private final String symbol;

  SpecifierOperator(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in a specifier, e.g. {@code ~=}. */
  String symbol() {
    return symbol;
  }

  /** The operator spelled {@code symbol}; throws {@link IllegalArgumentException} if none is. */
  static SpecifierOperator of(String symbol) {
    for (SpecifierOperator operator : values()) {
      if (operator.symbol.equals(symbol)) {
        return operator;
      }
    }
    throw new IllegalArgumentException("unknown specifier operator " + symbol);
  }
}
