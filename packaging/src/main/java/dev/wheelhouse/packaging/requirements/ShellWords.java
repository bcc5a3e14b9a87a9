package dev.wheelhouse.packaging.requirements;

import java.util.ArrayList;
import java.util.List;

/** Splits an options string into words as Python's {@code shlex.split} does, which pip uses. */
final class ShellWords {
  private ShellWords() {}

  /**
   * Splits on whitespace, honouring single quotes (literal), double quotes (with backslash escapes
   * of {@code \}, {@code "}) and backslash escapes outside quotes. Throws {@link
   * RequirementSyntaxException} for an unclosed quote.
   */
  static List<String> split(String text) {
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
      } else if (c == '\'') {
        int close = text.indexOf('\'', i + 1);
        if (close < 0) {
          throw new RequirementSyntaxException("no closing quotation");
        }
        word.append(text, i + 1, close);
        i = close;
        inWord = true;
      } else if (c == '"') {
        i = appendDoubleQuoted(text, i + 1, word);
        inWord = true;
      } else if (c == '\\' && i + 1 < text.length()) {
        word.append(text.charAt(++i));
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Appends a double-quoted section starting after its quote; returns the closing quote's index.
   */
  private static int appendDoubleQuoted(String text, int start, StringBuilder word) {
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i + 1 < text.length() && "\\\"".indexOf(text.charAt(i + 1)) >= 0) {
        c = text.charAt(++i);
      }
      word.append(c);
    }
    throw new RequirementSyntaxException("no closing quotation");
  }
}
