package dev.wheelhouse.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree, token by token rather than with {@code readTree}, so that:
 * scalars keep the text the user wrote ({@code python: [3.10]} stays "3.10", not the number 3.1);
 * duplicate keys and aliases are reported with their line instead of being silently resolved; and
 * syntax errors name the file, line and column.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final YAMLParser parser;
  private final String sourceName;
  private final Problems problems;

  private YamlTree(YAMLParser parser, String sourceName, Problems problems) {
    this.parser = parser;
    this.sourceName = sourceName;
    this.problems = problems;
  }

  /**
   * The document's top-level mapping (empty for an empty document), or empty after reporting why
   * there is none.
   */
  static Optional<ObjectNode> parse(String text, String sourceName, Problems problems) {
    try (YAMLParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        return Optional.of(NODES.objectNode());
      }
      JsonNode root = new YamlTree(parser, sourceName, problems).value("");
      if (parser.nextToken() != null) {
        problems.add(sourceName, at(parser.currentLocation()) + ": expected one YAML document");
      }
      if (root.isNull()) {
        return Optional.of(NODES.objectNode());
      }
      if (!root.isObject()) {
        problems.add(sourceName, "expected a mapping of configuration keys at the top level");
        return Optional.empty();
      }
      return Optional.of((ObjectNode) root);
    } catch (JacksonException e) {
      problems.add(sourceName, describe(e));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(sourceName, "cannot read: " + e.getMessage());
      return Optional.empty();
    }
  }

  private JsonNode value(String path) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      return mapping(path);
    }
    if (token == JsonToken.START_ARRAY) {
      ArrayNode list = NODES.arrayNode();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(value(Node.itemPath(path, list.size())));
      }
      return list;
    }
    if (parser.isCurrentAlias()) {
      problems.add(
          path.isEmpty() ? sourceName : path,
          "YAML aliases (*" + parser.getText() + ") are not supported (" + where() + ")");
    }
    return token == JsonToken.VALUE_NULL ? NODES.nullNode() : NODES.textNode(parser.getText());
  }

  private ObjectNode mapping(String path) throws IOException {
    ObjectNode mapping = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String keyPath = Node.childPath(path, key);
      String keyWhere = where();
      parser.nextToken();
      JsonNode value = value(keyPath);
      if (mapping.has(key)) {
        problems.add(keyPath, "duplicate key (" + keyWhere + ")");
      } else {
        mapping.set(key, value);
      }
    }
    return mapping;
  }

  private String where() {
    return sourceName + " line " + parser.currentTokenLocation().getLineNr();
  }

  private static String at(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  // SnakeYAML's own message spans several lines with source snippets; keep its problem and marks.
  private static String describe(JacksonException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark problem = yaml.getProblemMark();
      String context = "";
      if (yaml.getContext() != null) {
        context = " (" + yaml.getContext();
        if (yaml.getContextMark() != null) {
          context += " started at line " + (yaml.getContextMark().getLine() + 1);
        }
        context += ")";
      }
      return "line "
          + (problem.getLine() + 1)
          + ", column "
          + (problem.getColumn() + 1)
          + ": "
          + yaml.getProblem()
          + context;
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return at(e.getLocation()) + ": " + (newline < 0 ? message : message.substring(0, newline));
  }
}
