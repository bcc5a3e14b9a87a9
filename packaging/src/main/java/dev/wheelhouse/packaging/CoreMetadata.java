package dev.wheelhouse.packaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Core metadata as found in a wheel's {@code METADATA} or an sdist's {@code PKG-INFO}: RFC 822
 * style headers, then an optional description body after the first blank line.
 *
 * <p>{@code name} and {@code version} are kept as written; {@link #project()} and {@link
 * #parsedVersion()} validate them, since old sdists may carry versions that predate PEP 440.
 */
public record CoreMetadata(
    String metadataVersion,
    String name,
    String version,
    Optional<String> summary,
    Optional<String> requiresPython,
    List<String> requiresDist,
    Map<String, List<String>> fields,
    Optional<String> body) {

  /** Continuation lines of a multi-line Description are prefixed like this (core metadata spec). */
  private static final String PIPE_INDENT = "       |";

  private static final int MAX_INDENT = 8;

  public CoreMetadata {
    Objects.requireNonNull(metadataVersion, "metadataVersion");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(requiresPython, "requiresPython");
    Objects.requireNonNull(body, "body");
    requiresDist = List.copyOf(requiresDist);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    fields.forEach((key, values) -> copy.put(key.toLowerCase(Locale.ROOT), List.copyOf(values)));
    fields = Collections.unmodifiableMap(copy);
  }

  /** Parses UTF-8 metadata; throws {@link InvalidMetadataException}, also for malformed UTF-8. */
  public static CoreMetadata parse(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidMetadataException("invalid metadata: not valid UTF-8");
    }
    return parse(text);
  }

  /**
   * Parses metadata text; throws {@link InvalidMetadataException} for broken header syntax or when
   * Metadata-Version, Name or Version is missing.
   */
  public static CoreMetadata parse(String text) {
    Objects.requireNonNull(text, "text");
    HeaderReader reader = new HeaderReader(text.startsWith("\uFEFF") ? text.substring(1) : text);
    Map<String, List<String>> fields = reader.readHeaders();
    Optional<String> body = reader.rest().filter(rest -> !rest.isBlank());
    return new CoreMetadata(
        required(fields, "Metadata-Version"),
        required(fields, "Name"),
        required(fields, "Version"),
        first(fields, "summary"),
        first(fields, "requires-python"),
        fields.getOrDefault("requires-dist", List.of()),
        fields,
        body);
  }

  private static String required(Map<String, List<String>> fields, String field) {
    return first(fields, field.toLowerCase(Locale.ROOT))
        .filter(value -> !value.isBlank())
        .orElseThrow(
            () -> new InvalidMetadataException("invalid metadata: missing " + field + " field"));
  }

  private static Optional<String> first(Map<String, List<String>> fields, String key) {
    return fields.getOrDefault(key, List.of()).stream().findFirst();
  }

  /** All values of a field in file order, looked up case-insensitively; empty if absent. */
  public List<String> get(String field) {
    return fields.getOrDefault(field.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of a field, looked up case-insensitively. */
  public Optional<String> first(String field) {
    return first(fields, field.toLowerCase(Locale.ROOT));
  }

  /** The long description: the body if there is one, else the legacy Description field. */
  public Optional<String> description() {
    return body.isPresent() ? body : first("description");
  }

  /** The Name field as a validated project name; throws {@link InvalidNameException}. */
  public ProjectName project() {
    return ProjectName.of(name);
  }

  /** The Version field as a PEP 440 version; throws {@link InvalidVersionException}. */
  public Version parsedVersion() {
    return Version.parse(version);
  }

  /** Reads the header block line by line, remembering where the body starts. */
  private static final class HeaderReader {
    private final String text;
    private int position;
    private int lineNumber;
    private boolean sawBlankLine;

    HeaderReader(String text) {
      this.text = text;
    }

    Map<String, List<String>> readHeaders() {
      Map<String, List<String>> fields = new LinkedHashMap<>();
      String key = null;
      StringBuilder value = new StringBuilder();
      while (position < text.length()) {
        String line = nextLine();
        if (line.isEmpty()) {
          sawBlankLine = true;
          break;
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
          if (key == null) {
            throw syntax("continuation line without a preceding field");
          }
          value.append('\n').append(unindent(line));
          continue;
        }
        if (key != null) {
          fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value.toString());
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw syntax("expected 'Field: value'");
        }
        String fieldName = line.substring(0, colon);
        if (!fieldName.chars().allMatch(c -> c > ' ' && c < 127)) {
          throw syntax("invalid field name " + PackagingException.quote(fieldName));
        }
        key = fieldName.toLowerCase(Locale.ROOT);
        value.setLength(0);
        value.append(line.substring(colon + 1).strip());
      }
      if (key != null) {
        fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value.toString());
      }
      return fields;
    }

    /** The text after the blank line that ends the headers, if there was one. */
    Optional<String> rest() {
      return sawBlankLine ? Optional.of(text.substring(position)) : Optional.empty();
    }

    private String nextLine() {
      int end = position;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(position, end);
      if (end < text.length() && text.charAt(end) == '\r') {
        end++;
      }
      if (end < text.length() && text.charAt(end) == '\n') {
        end++;
      }
      position = end;
      lineNumber++;
      return line;
    }

    /** Undoes folding: drops the "7 spaces and |" prefix, or up to 8 spaces, or one tab. */
    private static String unindent(String line) {
      if (line.startsWith(PIPE_INDENT)) {
        return line.substring(PIPE_INDENT.length());
      }
      if (line.charAt(0) == '\t') {
        return line.substring(1);
      }
      int start = 0;
      while (start < Math.min(line.length(), MAX_INDENT) && line.charAt(start) == ' ') {
        start++;
      }
      return line.substring(start);
    }

    private InvalidMetadataException syntax(String reason) {
      return new InvalidMetadataException("invalid metadata: line " + lineNumber + ": " + reason);
    }
  }
}
