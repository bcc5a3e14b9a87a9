package dev.wheelhouse.packaging.requirements;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a requirements file after pip's preprocessing: continuations joined, comments
 * removed, {@code ${VAR}} expanded, blank lines dropped.
 *
 * @param number the physical line it starts on (1-based)
 * @param text the text, stripped of surrounding whitespace
 */
record LogicalLine(int number, String text) {
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
  // pip's COMMENT_RE: a comment starts at a '#' at the start of a line or after whitespace, so
  // URL fragments such as #egg= or #sha256= survive.
  private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");
  // pip's ENV_VAR_RE: only ${NAME} with NAME of upper-case letters, digits and underscores.
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");

  /** Splits {@code text} into logical lines the way pip's {@code preprocess} does. */
  static List<LogicalLine> of(String text, Function<String, String> environment) {
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<LogicalLine> lines = new ArrayList<>();
    StringBuilder continued = new StringBuilder();
    int firstNumber = 0;
    String[] physical = LINE_BREAK.split(content, -1);
    for (int i = 0; i < physical.length; i++) {
      String line = physical[i];
      boolean wholeLineComment = COMMENT.matcher(line).lookingAt();
      boolean continues = line.endsWith("\\") && !wholeLineComment;
      if (continues) {
        if (continued.length() == 0) {
          firstNumber = i + 1;
        }
        continued.append(stripBackslashes(line));
        continue;
      }
      if (continued.length() > 0) {
        // pip prefixes a comment line with a space so that it still reads as a comment when
        // appended to the continued line, which it then ends.
        continued.append(wholeLineComment ? " " + line : line);
        add(lines, firstNumber, continued.toString(), environment);
        continued.setLength(0);
      } else {
        add(lines, i + 1, line, environment);
      }
    }
    if (continued.length() > 0) {
      add(lines, firstNumber, continued.toString(), environment);
    }
    return lines;
  }

  /** As Python's {@code line.strip("\\")}: backslashes go from both ends. */
  private static String stripBackslashes(String line) {
    int start = 0;
    int end = line.length();
    while (start < end && line.charAt(start) == '\\') {
      start++;
    }
    while (end > start && line.charAt(end - 1) == '\\') {
      end--;
    }
    return line.substring(start, end);
  }

  private static void add(
      List<LogicalLine> lines, int number, String raw, Function<String, String> environment) {
    String text = COMMENT.matcher(raw).replaceFirst("").strip();
    if (!text.isEmpty()) {
      lines.add(new LogicalLine(number, expand(text, environment)));
    }
  }

  /** Expands {@code ${NAME}}; unknown or empty variables stay as written, as in pip. */
  private static String expand(String text, Function<String, String> environment) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = environment.apply(m.group(1));
      String replacement = value == null || value.isEmpty() ? m.group() : value;
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
