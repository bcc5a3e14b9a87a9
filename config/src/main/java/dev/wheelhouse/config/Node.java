package dev.wheelhouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A value in the configuration tree together with its key path. Reading it never throws: a value of
 * the wrong shape is reported to {@link Problems} and read as absent, so binding goes on and finds
 * the other problems too.
 *
 * <p>Scalars are always text here ({@link YamlTree} keeps them as written, so {@code 3.10} stays
 * {@code "3.10"}); each reader converts them to the type its key needs.
 */
final class Node {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final Problems problems;
  private final String path;
  private final JsonNode value; // null when the key is absent

  private Node(Problems problems, String path, JsonNode value) {
    this.problems = problems;
    this.path = path;
    this.value = value;
  }

  static Node root(ObjectNode tree, Problems problems) {
    return new Node(problems, "", tree);
  }

  /** {@code parent.key}, or {@code parent["key"]} when the key is not a plain word. */
  static String childPath(String parent, String key) {
    if (!PLAIN_KEY.matcher(key).matches()) {
      return parent + "[\"" + key + "\"]";
    }
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String itemPath(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * The path one level up, or "" at the top; inverse of {@link #childPath} and {@link #itemPath}.
   */
  static String parentPath(String path) {
    if (path.endsWith("]")) {
      // Skip a quoted key, whose text may itself contain brackets or dots.
      int open = path.endsWith("\"]") ? path.lastIndexOf("[\"") : path.lastIndexOf('[');
      return path.substring(0, Math.max(open, 0));
    }
    return path.substring(0, Math.max(path.lastIndexOf('.'), 0));
  }

  Problems problems() {
    return problems;
  }

  String path() {
    return path;
  }

  Node child(String key, JsonNode childValue) {
    return new Node(problems, childPath(path, key), childValue);
  }

  /** Whether the key is given with a value; {@code key:} with nothing after it counts as absent. */
  boolean isPresent() {
    return value != null && !value.isNull();
  }

  boolean isList() {
    return isPresent() && value.isArray();
  }

  void error(String message) {
    problems.add(path, message);
  }

  /** The scalar's text; empty, after reporting, if it is a list or a mapping. */
  Optional<String> text() {
    if (!isPresent()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      error("expected a single value, got a " + shape());
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  /**
   * The scalar converted by {@code parser}, whose {@link IllegalArgumentException} is the reason.
   */
  <T> Optional<T> as(Function<String, T> parser) {
    return text()
        .flatMap(
            text -> {
              try {
                return Optional.of(parser.apply(text));
              } catch (IllegalArgumentException e) {
                error(e.getMessage());
                return Optional.empty();
              }
            });
  }

  /** Like {@link #as}, but reports an absent value as missing. */
  <T> Optional<T> required(Function<String, T> parser) {
    if (!isPresent()) {
      error("required");
    }
    return as(parser);
  }

  /** The items of a list; none if absent, and none after reporting if it is not a list. */
  List<Node> items() {
    if (!isPresent()) {
      return List.of();
    }
    if (!value.isArray()) {
      error("expected a list, got a " + shape());
      return List.of();
    }
    List<Node> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      items.add(new Node(problems, itemPath(path, i), value.get(i)));
    }
    return List.copyOf(items);
  }

  /**
   * The list's items converted by {@code parser}; items that do not convert are reported, left out.
   */
  <T> List<T> list(Function<String, T> parser) {
    List<T> converted = new ArrayList<>();
    for (Node item : items()) {
      if (!item.isPresent()) {
        item.error("expected a value, got nothing");
      }
      item.as(parser).ifPresent(converted::add);
    }
    return List.copyOf(converted);
  }

  /** The keys of a mapping; none if absent, and none after reporting if it is not a mapping. */
  Fields fields() {
    if (isPresent() && !value.isObject()) {
      error("expected a mapping, got a " + shape());
    }
    return new Fields(this, isPresent() && value.isObject() ? (ObjectNode) value : null);
  }

  private String shape() {
    if (value.isArray()) {
      return "list";
    }
    return value.isObject() ? "mapping" : "single value";
  }
}
