package dev.wheelhouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stacks the configuration sources on one tree before anything is bound, so every value, wherever
 * it came from, goes through the same validation: embedded defaults, then the file, then the
 * environment, then command-line overrides.
 */
final class ConfigLayers {
  static final String CONFIG = "WHEELHOUSE_CONFIG";
  static final String ADMIN_TOKEN_HASH = "WHEELHOUSE_ADMIN_TOKEN_HASH";

  /** Environment variables that set one key each, and that key's path. */
  private static final List<Map.Entry<String, List<String>>> ENVIRONMENT_KEYS =
      List.of(
          Map.entry("WHEELHOUSE_LISTEN", List.of("listen")),
          Map.entry("WHEELHOUSE_DATA", List.of("data")),
          Map.entry("WHEELHOUSE_DEFAULT_INDEX", List.of("default-index")),
          Map.entry("WHEELHOUSE_OFFLINE", List.of("offline")),
          Map.entry("WHEELHOUSE_ANONYMOUS_READ", List.of("auth", "anonymous-read")),
          Map.entry("WHEELHOUSE_UPLOAD_MAX_SIZE", List.of("upload", "max-size")));

  private static final String COMMAND_LINE = "the command line";

  private ConfigLayers() {}

  /**
   * The file's keys over the defaults: mappings merge key by key, anything else replaces. A file
   * that lists its own indexes drops the default {@code default-index} and {@code upload.index},
   * which name default indexes; they are then derived from the file's list.
   */
  static ObjectNode overlayFile(ObjectNode defaults, ObjectNode file) {
    ObjectNode base = defaults.deepCopy();
    if (isSet(file.get("indexes"))) {
      base.remove("default-index");
      if (base.get("upload") instanceof ObjectNode upload) {
        upload.remove("index");
      }
    }
    merge(base, file);
    return base;
  }

  private static void merge(ObjectNode base, ObjectNode top) {
    for (Map.Entry<String, JsonNode> entry : top.properties()) {
      JsonNode value = entry.getValue();
      if (!isSet(value)) {
        continue; // "key:" with no value means "use the default", as in the file's comments.
      }
      if (base.get(entry.getKey()) instanceof ObjectNode below
          && value instanceof ObjectNode above) {
        merge(below, above);
      } else {
        base.set(entry.getKey(), value.deepCopy());
      }
    }
  }

  /** Applies the {@code WHEELHOUSE_*} variables; empty ones count as unset. */
  static void applyEnvironment(ObjectNode tree, Map<String, String> env, Problems problems) {
    for (Map.Entry<String, List<String>> key : ENVIRONMENT_KEYS) {
      variable(env, key.getKey())
          .ifPresent(value -> set(tree, key.getValue(), value, key.getKey(), problems));
    }
    variable(env, ADMIN_TOKEN_HASH).ifPresent(hash -> addAdminToken(tree, hash, problems));
  }

  static void applyOverrides(ObjectNode tree, ConfigOverrides overrides, Problems problems) {
    overrides.listen().ifPresent(v -> set(tree, List.of("listen"), v, COMMAND_LINE, problems));
    overrides.data().ifPresent(v -> set(tree, List.of("data"), v, COMMAND_LINE, problems));
  }

  static Optional<String> variable(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(value -> !value.isEmpty());
  }

  private static void set(
      ObjectNode tree, List<String> keys, String value, String origin, Problems problems) {
    ObjectNode parent = tree;
    String path = "";
    for (String key : keys.subList(0, keys.size() - 1)) {
      path = Node.childPath(path, key);
      JsonNode child = parent.get(key);
      if (!isSet(child)) {
        child = parent.putObject(key);
      }
      if (!(child instanceof ObjectNode)) {
        return; // The file's value has the wrong shape; binding reports it there.
      }
      parent = (ObjectNode) child;
    }
    String key = keys.get(keys.size() - 1);
    parent.put(key, value);
    problems.origin(Node.childPath(path, key), origin);
  }

  private static void addAdminToken(ObjectNode tree, String hash, Problems problems) {
    JsonNode auth = tree.get("auth");
    if (!isSet(auth)) {
      auth = tree.putObject("auth");
    }
    if (!(auth instanceof ObjectNode authObject)) {
      return;
    }
    JsonNode tokens = authObject.get("tokens");
    if (!isSet(tokens)) {
      tokens = authObject.putArray("tokens");
    }
    if (!(tokens instanceof ArrayNode tokenList)) {
      return;
    }
    ObjectNode token = tokenList.addObject();
    token.put("name", "env");
    token.put("hash", hash);
    token.putArray("roles").add("upload").add("admin");
    problems.origin(Node.itemPath("auth.tokens", tokenList.size() - 1), ADMIN_TOKEN_HASH);
  }

  private static boolean isSet(JsonNode value) {
    return value != null && !value.isNull();
  }
}
