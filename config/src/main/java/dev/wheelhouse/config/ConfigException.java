package dev.wheelhouse.config;

import java.util.List;

/** An invalid configuration, with every problem found, each prefixed by its key path. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  /**
   * Each problem as {@code key.path: reason}, such as {@code listen: expected HOST:PORT, got
   * 'abc'}.
   */
  public List<String> errors() {
    return errors;
  }

  private static String describe(List<String> errors) {
    StringBuilder message =
        new StringBuilder("invalid configuration (")
            .append(errors.size())
            .append(errors.size() == 1 ? " error):" : " errors):");
    for (String error : errors) {
      message.append("\n  - ").append(error);
    }
    return message.toString();
  }
}
