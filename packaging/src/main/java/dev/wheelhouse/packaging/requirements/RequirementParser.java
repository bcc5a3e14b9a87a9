package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.InvalidNameException;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive descent over the PEP 508 grammar {@code name [extras] (specifiers | @ url) ; marker},
 * with packaging's tokens: a URL runs to the next space or tab, so a marker after a URL needs
 * whitespace before its semicolon.
 */
final class RequirementParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern URL = Pattern.compile("[^ \\t]+");

  private final String text;
  private final TextCursor cursor;

  RequirementParser(String text) {
    this.text = text;
    this.cursor = new TextCursor(text, "requirement");
  }

  Requirement parse() {
    cursor.skipWhitespace();
    ProjectName name = projectName(cursor.expect(NAME, "a project name"));
    cursor.skipWhitespace();
    List<String> extras = cursor.peek() == '[' ? extras() : List.of();
    cursor.skipWhitespace();
    SpecifierSet specifiers = SpecifierSet.any();
    Optional<String> url = Optional.empty();
    Optional<Marker> marker;
    if (cursor.read('@')) {
      cursor.skipWhitespace();
      url = Optional.of(cursor.expect(URL, "a URL after '@'"));
      boolean spaced = cursor.skipWhitespace();
      marker = cursor.atEnd() || !spaced ? Optional.empty() : marker("';' and a marker");
    } else {
      specifiers = specifiers();
      cursor.skipWhitespace();
      String expected =
          specifiers.isEmpty()
              ? "a version specifier, '@' and a URL, or ';' and a marker"
              : "',' and a version specifier, or ';' and a marker";
      marker = cursor.atEnd() ? Optional.empty() : marker(expected);
    }
    if (!cursor.atEnd()) {
      throw cursor.error("expected the end of the requirement");
    }
    return new Requirement(name, Set.copyOf(extras), specifiers, url, marker);
  }

  private ProjectName projectName(String raw) {
    try {
      return ProjectName.of(raw);
    } catch (InvalidNameException e) {
      throw new RequirementSyntaxException(
          "invalid requirement " + PackagingException.quote(text) + ": " + e.getMessage());
    }
  }

  private List<String> extras() {
    cursor.expect('[', "'['");
    cursor.skipWhitespace();
    List<String> extras = new ArrayList<>();
    Optional<String> first = cursor.read(NAME);
    if (first.isPresent()) {
      extras.add(first.get());
      cursor.skipWhitespace();
      while (cursor.read(',')) {
        cursor.skipWhitespace();
        extras.add(cursor.expect(NAME, "an extra name after ','"));
        cursor.skipWhitespace();
      }
    }
    cursor.expect(']', extras.isEmpty() ? "an extra name or ']'" : "',' or ']' after the extras");
    return extras;
  }

  /** {@code >=1,<2}, optionally in parentheses (a PEP 508 form pip still accepts). */
  private SpecifierSet specifiers() {
    boolean parenthesized = cursor.read('(');
    cursor.skipWhitespace();
    List<SpecifierClause> clauses = new ArrayList<>();
    Optional<String> clause = cursor.read(SpecifierClause.PATTERN);
    while (clause.isPresent()) {
      clauses.add(SpecifierClause.parse(clause.get()));
      cursor.skipWhitespace();
      if (!cursor.read(',')) {
        break;
      }
      cursor.skipWhitespace();
      // A trailing comma ends the list, as packaging's grammar (and so pip) allows.
      clause = cursor.read(SpecifierClause.PATTERN);
    }
    if (parenthesized) {
      cursor.skipWhitespace();
      cursor.expect(')', clauses.isEmpty() ? "a version specifier" : "')' after the specifiers");
    }
    return SpecifierSet.of(clauses);
  }

  private Optional<Marker> marker(String expected) {
    if (!cursor.read(';')) {
      throw cursor.error("expected " + expected);
    }
    Marker marker = Marker.parse(cursor);
    cursor.skipWhitespace();
    return Optional.of(marker);
  }
}
