package dev.wheelhouse.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of one YAML mapping. Binders ask for each key they know; {@link #rejectUnknown} then
 * reports the rest, so a typo is an error rather than a silently ignored setting.
 */
final class Fields {
  private final Node owner;
  private final ObjectNode object; // null when the mapping is absent or not a mapping
  private final Set<String> known = new HashSet<>();

  Fields(Node owner, ObjectNode object) {
    this.owner = owner;
    this.object = object;
  }

  /** The value of {@code key}, possibly absent. */
  Node get(String key) {
    known.add(key);
    return owner.child(key, object == null ? null : object.get(key));
  }

  /** Every entry, in file order, for mappings whose keys are data (routes, env). */
  Map<String, Node> entries() {
    Map<String, Node> entries = new LinkedHashMap<>();
    if (object != null) {
      for (Map.Entry<String, ?> entry : object.properties()) {
        entries.put(entry.getKey(), get(entry.getKey()));
      }
    }
    return entries;
  }

  /** Reports each key nobody asked for; call after every {@link #get}. */
  void rejectUnknown() {
    if (object == null) {
      return;
    }
    for (Map.Entry<String, ?> entry : object.properties()) {
      String key = entry.getKey();
      if (!known.contains(key)) {
        Node unknown = owner.child(key, null);
        unknown.error("unknown key" + suggestion(key));
      }
    }
  }

  private String suggestion(String key) {
    // Short keys get a tighter bound, or every three-letter typo would look like "url".
    int bound = key.length() <= 4 ? 1 : 2;
    List<String> close = new ArrayList<>();
    for (String candidate : known) {
      if (editDistance(key, candidate) <= bound) {
        close.add(candidate);
      }
    }
    close.sort(null);
    return close.isEmpty() ? "" : " (did you mean '" + close.get(0) + "'?)";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
