package dev.wheelhouse.server.files;

import java.util.Optional;

/**
 * One satisfiable byte range of a representation of known length. Parsing follows RFC 9110 §14: a
 * syntactically invalid header or several ranges are ignored (the whole file is sent); a range that
 * starts past the end is unsatisfiable (416).
 */
public record ByteRange(long start, long end) {

  /** The outcome of reading a Range header. */
  public sealed interface Parsed permits Whole, Partial, Unsatisfiable {}

  public record Whole() implements Parsed {}

  public record Partial(ByteRange range) implements Parsed {}

  public record Unsatisfiable() implements Parsed {}

  public long length() {
    return end - start + 1;
  }

  public String contentRange(long size) {
    return "bytes " + start + "-" + end + "/" + size;
  }

  public static Parsed parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new Whole();
    }
    String spec = value.substring(6).trim();
    if (spec.contains(",")) {
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    Optional<Long> first = number(spec.substring(0, dash).trim());
    Optional<Long> last = number(spec.substring(dash + 1).trim());
    if (spec.substring(0, dash).isBlank()) {
      // Suffix range: the last N bytes.
      if (last.isEmpty()) {
        return new Whole();
      }
      long suffix = last.get();
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    if (first.isEmpty()) {
      return new Whole();
    }
    long start = first.get();
    long end;
    if (spec.substring(dash + 1).isBlank()) {
      end = size - 1;
    } else if (last.isEmpty() || last.get() < start) {
      return new Whole();
    } else {
      end = Math.min(last.get(), size - 1);
    }
    if (start >= size) {
      return new Unsatisfiable();
    }
    return new Partial(new ByteRange(start, end));
  }

  private static Optional<Long> number(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }
}
