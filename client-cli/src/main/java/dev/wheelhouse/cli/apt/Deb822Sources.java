package dev.wheelhouse.cli.apt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deb822 sources format of {@code sources.list.d/*.sources}: stanzas of {@code Field: value}
 * lines separated by empty lines, {@code #} comment lines, values continued on lines that start
 * with a space ({@code " ."} being an empty line), {@code Enabled: no} turning a stanza off.
 */
final class Deb822Sources {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Set<String> FALSE = Set.of("no", "false", "without", "off", "disable", "0");
  private static final List<String> CORE = List.of("types", "uris", "suites", "components");

  private Deb822Sources() {}

  /** The enabled sources in {@code text}, each with origin {@code file:LINE} of its first field. */
  static List<SourceEntry> parse(String text, String file) throws SourcesSyntaxException {
    List<SourceEntry> entries = new ArrayList<>();
    Stanza stanza = new Stanza(file);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int number = i + 1;
      if (line.startsWith("#")) {
        continue;
      }
      if (line.isBlank()) {
        stanza.entry().ifPresent(entries::add);
        stanza = new Stanza(file);
      } else if (line.startsWith(" ") || line.startsWith("\t")) {
        stanza.continueField(line.strip(), number);
      } else {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        if (name.isEmpty() || WHITESPACE.matcher(name).find()) {
          throw new SourcesSyntaxException(
              file, number, "expected 'Field: value', got '" + line + "'");
        }
        stanza.addField(name, line.substring(colon + 1).strip(), number);
      }
    }
    stanza.entry().ifPresent(entries::add);
    return entries;
  }

  /** The sources as deb822 stanzas separated by empty lines. */
  static String format(List<SourceEntry> entries) {
    StringBuilder out = new StringBuilder();
    for (SourceEntry entry : entries) {
      if (out.length() > 0) {
        out.append('\n');
      }
      field(out, "Types", String.join(" ", entry.types()));
      field(out, "URIs", String.join(" ", entry.uris()));
      field(out, "Suites", String.join(" ", entry.suites()));
      if (!entry.components().isEmpty()) {
        field(out, "Components", String.join(" ", entry.components()));
      }
      entry
          .options()
          .forEach(
              (key, values) ->
                  field(out, SourceOptions.deb822Name(key), SourceOptions.toDeb822(key, values)));
    }
    return out.toString();
  }

  /**
   * The same sources in fewer stanzas: entries that differ only in their types are merged, then
   * entries that differ only in their suites, as a one-line {@code sources.list} turned into deb822
   * would be written by hand. Each merged entry takes the place of its first part.
   */
  static List<SourceEntry> compact(List<SourceEntry> entries) {
    Map<List<Object>, SourceEntry> byTypes = new LinkedHashMap<>();
    for (SourceEntry e : entries) {
      byTypes.merge(
          List.of(e.uris(), e.suites(), e.components(), e.options()),
          e,
          (a, b) ->
              new SourceEntry(
                  union(a.types(), b.types()),
                  a.uris(),
                  a.suites(),
                  a.components(),
                  a.options(),
                  a.origin()));
    }
    Map<List<Object>, SourceEntry> bySuites = new LinkedHashMap<>();
    for (SourceEntry e : byTypes.values()) {
      bySuites.merge(
          List.of(e.types(), e.uris(), e.components(), e.options()),
          e,
          (a, b) ->
              new SourceEntry(
                  a.types(),
                  a.uris(),
                  union(a.suites(), b.suites()),
                  a.components(),
                  a.options(),
                  a.origin()));
    }
    return List.copyOf(bySuites.values());
  }

  private static List<String> union(List<String> first, List<String> second) {
    Set<String> all = new LinkedHashSet<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  private static void field(StringBuilder out, String name, String value) {
    if (!value.contains("\n")) {
      out.append(name).append(": ").append(value).append('\n');
      return;
    }
    out.append(name).append(":\n");
    for (String line : value.split("\n", -1)) {
      out.append(' ').append(line.isEmpty() ? "." : line).append('\n');
    }
  }

  /** The fields of one stanza as they are read. */
  private static final class Stanza {
    private final String file;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, StringBuilder> values = new LinkedHashMap<>();
    private String last;
    private int firstLine;

    Stanza(String file) {
      this.file = file;
    }

    void addField(String name, String value, int number) throws SourcesSyntaxException {
      String key = name.toLowerCase(Locale.ROOT);
      if (values.containsKey(key)) {
        throw new SourcesSyntaxException(file, number, "field " + name + " given twice");
      }
      if (values.isEmpty()) {
        firstLine = number;
      }
      names.put(key, name);
      values.put(key, new StringBuilder(value));
      last = key;
    }

    void continueField(String text, int number) throws SourcesSyntaxException {
      if (last == null) {
        throw new SourcesSyntaxException(file, number, "continuation line outside a field");
      }
      values.get(last).append('\n').append(text.equals(".") ? "" : text);
    }

    Optional<SourceEntry> entry() throws SourcesSyntaxException {
      if (values.isEmpty()) {
        return Optional.empty();
      }
      String enabled = value("enabled");
      if (FALSE.contains(enabled.strip().toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      List<String> types = words(required("types", "Types"));
      for (String type : types) {
        Optional<String> error = OneLineSources.typeError(type);
        if (error.isPresent()) {
          throw new SourcesSyntaxException(file, firstLine, error.get());
        }
      }
      List<String> uris = words(required("uris", "URIs"));
      List<String> suites = words(required("suites", "Suites"));
      List<String> components = words(value("components"));
      if (!components.isEmpty() && suites.stream().anyMatch(SourceEntry::exactPath)) {
        throw new SourcesSyntaxException(
            file, firstLine, "suites ending in / are exact paths and take no Components");
      }
      if (components.isEmpty() && !suites.stream().allMatch(SourceEntry::exactPath)) {
        throw new SourcesSyntaxException(file, firstLine, "missing field Components");
      }
      Map<String, List<String>> options = new LinkedHashMap<>();
      values.forEach(
          (key, value) -> {
            if (!CORE.contains(key) && !key.equals("enabled")) {
              String option = SourceOptions.keyOfDeb822(names.get(key));
              options.put(option, SourceOptions.fromDeb822(option, value.toString()));
            }
          });
      return Optional.of(
          new SourceEntry(types, uris, suites, components, options, file + ":" + firstLine));
    }

    private String value(String key) {
      StringBuilder value = values.get(key);
      return value == null ? "" : value.toString();
    }

    private String required(String key, String name) throws SourcesSyntaxException {
      String value = value(key);
      if (value.isBlank()) {
        throw new SourcesSyntaxException(file, firstLine, "missing field " + name);
      }
      return value;
    }

    private static List<String> words(String value) {
      String stripped = value.strip();
      return stripped.isEmpty() ? List.of() : List.of(WHITESPACE.split(stripped, -1));
    }
  }
}
