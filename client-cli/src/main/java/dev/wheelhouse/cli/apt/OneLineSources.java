package dev.wheelhouse.cli.apt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one-line sources format of {@code /etc/apt/sources.list} and {@code sources.list.d/*.list}:
 * {@code deb [arch=amd64 signed-by=/k.gpg] URI SUITE COMPONENT...}, a {@code #} starting a comment
 * anywhere outside the options. Parsed as apt does, rejecting what apt rejects.
 */
final class OneLineSources {
  static final Set<String> TYPES = Set.of("deb", "deb-src");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private OneLineSources() {}

  /** The sources in {@code text}, each with origin {@code file:LINE}. */
  static List<SourceEntry> parse(String text, String file) throws SourcesSyntaxException {
    List<SourceEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = withoutComment(lines[i]).strip();
      if (!line.isEmpty()) {
        entries.add(parseLine(line, file, i + 1));
      }
    }
    return entries;
  }

  /**
   * The sources as one-line entries: one line per type, URI and suite.
   *
   * @throws IllegalArgumentException if an option cannot be written on one line
   */
  static String format(List<SourceEntry> entries) {
    StringBuilder out = new StringBuilder();
    for (SourceEntry entry : entries) {
      List<String> options = new ArrayList<>();
      entry
          .options()
          .forEach(
              (key, values) ->
                  SourceOptions.toOneLine(key, values)
                      .ifPresent(value -> options.add(key + "=" + value)));
      String bracket = options.isEmpty() ? "" : " [" + String.join(" ", options) + "]";
      for (String type : entry.types()) {
        for (String uri : entry.uris()) {
          for (String suite : entry.suites()) {
            out.append(type).append(bracket).append(' ').append(uri).append(' ').append(suite);
            for (String component : entry.components()) {
              out.append(' ').append(component);
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  /** The line up to its first {@code #} that is not inside the [options]. */
  private static String withoutComment(String line) {
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == '#' && depth <= 0) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static SourceEntry parseLine(String line, String file, int number)
      throws SourcesSyntaxException {
    String[] typeAndRest = WHITESPACE.split(line, 2);
    if (typeAndRest.length < 2) {
      throw new SourcesSyntaxException(file, number, "expected TYPE URI SUITE [COMPONENT...]");
    }
    String type = typeAndRest[0];
    Optional<String> typeError = typeError(type);
    if (typeError.isPresent()) {
      throw new SourcesSyntaxException(file, number, typeError.get());
    }
    String rest = typeAndRest[1].strip();
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (rest.startsWith("[")) {
      int end = rest.indexOf(']');
      if (end < 0) {
        throw new SourcesSyntaxException(file, number, "[options] without a closing ]");
      }
      for (String option : words(rest.substring(1, end), file, number)) {
        int equals = option.indexOf('=');
        if (equals <= 0 || equals == option.length() - 1) {
          throw new SourcesSyntaxException(
              file, number, "option '" + option + "' is not NAME=VALUE");
        }
        String key = option.substring(0, equals);
        options.put(key, SourceOptions.fromOneLine(key, option.substring(equals + 1)));
      }
      rest = rest.substring(end + 1);
    }
    List<String> words = words(rest, file, number);
    if (words.size() < 2) {
      throw new SourcesSyntaxException(
          file, number, words.isEmpty() ? "missing URI and suite" : "missing suite");
    }
    String suite = words.get(1);
    List<String> components = words.subList(2, words.size());
    if (SourceEntry.exactPath(suite) && !components.isEmpty()) {
      throw new SourcesSyntaxException(
          file, number, "suite '" + suite + "' is an exact path and takes no components");
    }
    if (!SourceEntry.exactPath(suite) && components.isEmpty()) {
      throw new SourcesSyntaxException(file, number, "missing component after suite " + suite);
    }
    return new SourceEntry(
        List.of(type),
        List.of(words.get(0)),
        List.of(suite),
        components,
        options,
        file + ":" + number);
  }

  /**
   * Whitespace-separated words, where whitespace inside {@code [...]} or {@code "..."} does not
   * separate (as in {@code cdrom:[Debian GNU/Linux 12]/}); the double quotes are dropped.
   */
  private static List<String> words(String text, String file, int number)
      throws SourcesSyntaxException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        continue;
      }
      inWord = true;
      if (c == '"' || c == '[') {
        char close = c == '"' ? '"' : ']';
        int end = text.indexOf(close, i + 1);
        if (end < 0) {
          throw new SourcesSyntaxException(file, number, "unmatched " + c);
        }
        word.append(c == '"' ? text.substring(i + 1, end) : text.substring(i, end + 1));
        i = end;
      } else {
        word.append(c);
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Why {@code type} is not a source type apt knows, if it is not. */
  static Optional<String> typeError(String type) {
    return TYPES.contains(type)
        ? Optional.empty()
        : Optional.of("unknown type '" + type + "' (expected deb or deb-src)");
  }
}
