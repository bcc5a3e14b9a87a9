package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Splits deb822 text (Debian control-file syntax: paragraphs of {@code Field: value} lines,
 * continuation lines starting with a space or tab, paragraphs separated by blank lines) into
 * paragraphs, fed one line at a time so that a long index never has to be held whole.
 *
 * <p>Only the fields a caller asks for are kept, so a scan of a Packages index does not copy every
 * Description. Trailing whitespace and CRs are ignored, and lines of only whitespace separate
 * paragraphs, as apt reads them.
 */
final class Deb822Parser {

  /** Receives each complete paragraph. */
  @FunctionalInterface
  interface ParagraphSink {
    void accept(Paragraph paragraph) throws DebianFormatException;
  }

  /**
   * One field of a paragraph: its name as written, the line it starts on, its first-line value
   * (trimmed), and its continuation lines (trimmed), which are on the lines right after {@code
   * line}.
   */
  record Field(String name, int line, String value, List<String> continuation) {

    /** One line of a multi-line value, with its number in the file. */
    record Line(String text, int number) {}

    /**
     * The lines of a multi-line value such as {@code SHA256}: the first line if it is not empty
     * (apt reads the value as a whole, so an entry there counts), then the continuation lines.
     */
    List<Line> lines() {
      List<Line> lines = new ArrayList<>(continuation.size() + 1);
      if (!value.isEmpty()) {
        lines.add(new Line(value, line));
      }
      for (int i = 0; i < continuation.size(); i++) {
        lines.add(new Line(continuation.get(i), line + 1 + i));
      }
      return lines;
    }
  }

  /** A paragraph's kept fields, by lower-case name, and the line it starts on. */
  record Paragraph(int line, Map<String, Field> fields) {
    Optional<Field> field(String lowerCaseName) {
      return Optional.ofNullable(fields.get(lowerCaseName));
    }
  }

  private final Predicate<String> keep;
  private final ParagraphSink sink;

  private Map<String, Field> fields;
  private int paragraphLine;

  // The field being read, not yet in fields: more continuation lines may follow.
  private String fieldKey;
  private String fieldName;
  private int fieldLine;
  private String fieldValue;
  private List<String> fieldContinuation;

  /**
   * Creates a parser that keeps the fields whose lower-case names {@code keep} accepts and hands
   * each paragraph to {@code sink}.
   */
  Deb822Parser(Predicate<String> keep, ParagraphSink sink) {
    this.keep = keep;
    this.sink = sink;
  }

  /** Parses a whole stream, leaving it open. */
  static void parse(InputStream in, Predicate<String> keep, ParagraphSink sink) throws IOException {
    LineReader lines = new LineReader(in);
    Deb822Parser parser = new Deb822Parser(keep, sink);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      parser.line(line, lines.lineNumber());
    }
    parser.end();
  }

  /** Reads the next line, whose number in the file is {@code number}. */
  void line(String raw, int number) throws DebianFormatException {
    String line = raw.stripTrailing();
    if (line.isEmpty()) {
      finishParagraph();
      return;
    }
    char first = line.charAt(0);
    if (first == ' ' || first == '\t') {
      if (fields == null) {
        throw DebianFormatException.atLine(
            number, "continuation line outside a field: " + PackagingException.quote(line));
      }
      if (fieldContinuation != null) {
        fieldContinuation.add(line.strip());
      }
      return;
    }
    if (fields == null) {
      fields = new LinkedHashMap<>();
      paragraphLine = number;
    } else {
      finishField();
    }
    int colon = line.indexOf(':');
    String name = colon < 0 ? "" : line.substring(0, colon);
    if (!isFieldName(name)) {
      throw DebianFormatException.atLine(
          number, "expected 'Field: value', got " + PackagingException.quote(line));
    }
    String key = name.toLowerCase(Locale.ROOT);
    if (!keep.test(key)) {
      return;
    }
    if (fields.containsKey(key)) {
      throw DebianFormatException.atLine(
          number,
          "field "
              + PackagingException.quote(name)
              + " appears twice in the paragraph starting at line "
              + paragraphLine);
    }
    fieldKey = key;
    fieldName = name;
    fieldLine = number;
    fieldValue = line.substring(colon + 1).strip();
    fieldContinuation = new ArrayList<>();
  }

  /** Ends the input: the last paragraph needs no blank line after it. */
  void end() throws DebianFormatException {
    finishParagraph();
  }

  private void finishParagraph() throws DebianFormatException {
    if (fields == null) {
      return;
    }
    finishField();
    Paragraph paragraph = new Paragraph(paragraphLine, Collections.unmodifiableMap(fields));
    fields = null;
    sink.accept(paragraph);
  }

  private void finishField() {
    if (fieldKey == null) {
      return;
    }
    fields.put(
        fieldKey, new Field(fieldName, fieldLine, fieldValue, List.copyOf(fieldContinuation)));
    fieldKey = null;
    fieldContinuation = null;
  }

  /** Whether {@code name} is a deb822 field name: printable, no spaces, not a comment or dash. */
  private static boolean isFieldName(String name) {
    if (name.isEmpty() || name.charAt(0) == '#' || name.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
