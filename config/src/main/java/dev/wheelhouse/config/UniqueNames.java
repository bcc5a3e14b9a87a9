package dev.wheelhouse.config;

import java.util.HashMap;
import java.util.Map;

/** Reports a name used twice within one list (indexes, tokens, mirrors, builds). */
final class UniqueNames {
  private final String what;
  private final Map<String, String> firstPathByName = new HashMap<>();

  /** {@code what} names the kind, as in "duplicate {@code index name} 'x'". */
  UniqueNames(String what) {
    this.what = what;
  }

  /** Records {@code name}, given at {@code nameNode} in the list item at {@code itemPath}. */
  void claim(String name, Node nameNode, String itemPath) {
    String earlier = firstPathByName.putIfAbsent(name, itemPath);
    if (earlier != null) {
      nameNode.error("duplicate " + what + " '" + name + "' (also at " + earlier + ")");
    }
  }
}
