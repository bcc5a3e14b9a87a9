package dev.wheelhouse.packaging.requirements;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One option of a requirements file line with its value, and the tokens as written.
 *
 * @param option which option
 * @param value its value; empty for a flag
 * @param raw the option as written, e.g. {@code --find-links https://example.org/wheels}
 */
record PipOptionValue(PipOption option, Optional<String> value, String raw) {

  /**
   * Reads the options from {@code tokens} (split as pip's {@code shlex.split} does): {@code --name
   * value}, {@code --name=value}, {@code -x value} and {@code -xvalue}. Throws {@link
   * RequirementSyntaxException} with a reason for unknown options and missing values.
   */
  static List<PipOptionValue> parseAll(List<String> tokens) {
    List<PipOptionValue> options = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      PipOption option;
      String attached = null;
      if (token.startsWith("--")) {
        int equals = token.indexOf('=');
        String name = equals < 0 ? token : token.substring(0, equals);
        option =
            PipOption.byLongName(name)
                .orElseThrow(() -> new RequirementSyntaxException("unknown option " + name));
        attached = equals < 0 ? null : token.substring(equals + 1);
      } else if (token.startsWith("-") && token.length() >= 2) {
        String name = token.substring(0, 2);
        option =
            PipOption.byShortName(name)
                .orElseThrow(() -> new RequirementSyntaxException("unknown option " + name));
        attached = token.length() > 2 ? token.substring(2) : null;
      } else {
        throw new RequirementSyntaxException("unexpected " + token + " where an option should be");
      }
      if (!option.takesValue()) {
        if (attached != null) {
          throw new RequirementSyntaxException(option.longName() + " takes no value");
        }
        options.add(new PipOptionValue(option, Optional.empty(), token));
      } else if (attached != null) {
        options.add(new PipOptionValue(option, Optional.of(attached), token));
      } else if (i + 1 < tokens.size()) {
        String value = tokens.get(++i);
        options.add(new PipOptionValue(option, Optional.of(value), token + " " + value));
      } else {
        throw new RequirementSyntaxException(option.longName() + " needs a value");
      }
    }
    return options;
  }
}
