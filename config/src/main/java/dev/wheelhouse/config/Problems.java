package dev.wheelhouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every configuration problem so that users see them all at once, not one per run.
 *
 * <p>Each problem is prefixed by its key path. Values that came from an environment variable or the
 * command line rather than the file carry that origin too, because the user must know where to fix
 * them.
 */
final class Problems {
  private final List<String> errors = new ArrayList<>();
  private final Map<String, String> origins = new HashMap<>();

  /** Notes that the value at {@code path}, and everything under it, came from {@code origin}. */
  void origin(String path, String origin) {
    origins.put(path, origin);
  }

  void add(String path, String message) {
    errors.add(path + originOf(path) + ": " + message);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  private String originOf(String path) {
    for (String prefix = path; !prefix.isEmpty(); prefix = Node.parentPath(prefix)) {
      String origin = origins.get(prefix);
      if (origin != null) {
        return " (from " + origin + ")";
      }
    }
    return "";
  }
}
