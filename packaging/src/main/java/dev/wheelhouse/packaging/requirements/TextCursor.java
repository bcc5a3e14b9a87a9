package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A position in a PEP 508 text, read token by token; errors name what was expected where. */
final class TextCursor {
  /** PEP 508 whitespace: spaces and tabs only. */
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");

  private final String text;
  private final String kind; // "requirement" or "marker", for messages
  private int position;

  TextCursor(String text, String kind) {
    this.text = text;
    this.kind = kind;
  }

  /** Skips spaces and tabs; returns whether there were any. */
  boolean skipWhitespace() {
    return read(WHITESPACE).isPresent();
  }

  /** Reads a token matching {@code token} at the current position, if there is one. */
  Optional<Matcher> readMatch(Pattern token) {
    Matcher m = token.matcher(text);
    m.region(position, text.length());
    m.useTransparentBounds(true); // \b must see the character before the region
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    position = m.end();
    return Optional.of(m);
  }

  /** Reads a token matching {@code token} at the current position, if there is one. */
  Optional<String> read(Pattern token) {
    return readMatch(token).map(Matcher::group);
  }

  /** Reads {@code literal} if the text continues with it. */
  boolean read(char literal) {
    if (position < text.length() && text.charAt(position) == literal) {
      position++;
      return true;
    }
    return false;
  }

  /** Reads a token matching {@code token}, or fails saying {@code expected}. */
  String expect(Pattern token, String expected) {
    return read(token).orElseThrow(() -> error("expected " + expected));
  }

  /** Reads {@code literal}, or fails saying {@code expected}. */
  void expect(char literal, String expected) {
    if (!read(literal)) {
      throw error("expected " + expected);
    }
  }

  boolean atEnd() {
    return position == text.length();
  }

  char peek() {
    return atEnd() ? '\0' : text.charAt(position);
  }

  /** A syntax error at the current position, quoting the whole text. */
  RequirementSyntaxException error(String reason) {
    String found = atEnd() ? "end of text" : PackagingException.quote(text.substring(position));
    return new RequirementSyntaxException(
        "invalid "
            + kind
            + " "
            + PackagingException.quote(text)
            + ": "
            + reason
            + " at column "
            + (position + 1)
            + ", found "
            + found);
  }
}
