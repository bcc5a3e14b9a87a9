package dev.wheelhouse.packaging.requirements;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A TOML table read from a lock file, with typed accessors whose errors say which key of which
 * table is wrong.
 */
final class TomlTable {
  private final JsonNode node;
  private final Function<String, RequirementSyntaxException> errors;

  /**
   * Wraps {@code node}; {@code errors} turns a reason into the exception to throw, adding where the
   * table is.
   */
  TomlTable(JsonNode node, Function<String, RequirementSyntaxException> errors) {
    this.node = node;
    this.errors = errors;
  }

  boolean has(String key) {
    return node.has(key);
  }

  /** A failure of this table, for {@code reason}. */
  RequirementSyntaxException error(String reason) {
    return errors.apply(reason);
  }

  Optional<String> string(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw error(key + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  String requiredString(String key) {
    return string(key).orElseThrow(() -> error(key + " is required"));
  }

  Optional<Long> nonNegativeInteger(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw error(key + " must be a non-negative integer");
    }
    return Optional.of(value.longValue());
  }

  List<String> strings(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key + " must be an array of strings");
    }
    List<String> strings = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw error(key + " must be an array of strings");
      }
      strings.add(element.textValue());
    }
    return strings;
  }

  /** The sub-table at {@code key}, whose errors name {@code label}. */
  Optional<TomlTable> table(String key, String label) {
    JsonNode value = node.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw error(key + " must be a table");
    }
    return Optional.of(new TomlTable(value, reason -> error(label + ": " + reason)));
  }

  /** The tables of the array of tables at {@code key}. */
  List<JsonNode> tableArray(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key + " must be an array of tables");
    }
    List<JsonNode> tables = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isObject()) {
        throw error(key + " must be an array of tables");
      }
      tables.add(element);
    }
    return tables;
  }

  /** The entries of this table, keys as written. */
  Iterable<Map.Entry<String, JsonNode>> entries() {
    return node.properties();
  }

  boolean isEmpty() {
    return node.isEmpty();
  }
}
