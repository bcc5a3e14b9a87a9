package dev.wheelhouse.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An amount of bytes, written in YAML as {@code 200GB}, {@code 512MiB}, {@code 1.5GB}, {@code 4096}
 * or {@code 10kB}.
 *
 * @param bytes the size in bytes, never negative
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
  private static final Pattern SYNTAX =
      Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?)\\s*([A-Za-z]*)");

  // SI units are powers of 1000, IEC units powers of 1024; the trailing B is optional.
  private static final Map<String, Long> UNITS =
      Map.ofEntries(
          Map.entry("", 1L),
          Map.entry("b", 1L),
          Map.entry("k", 1_000L),
          Map.entry("kb", 1_000L),
          Map.entry("m", 1_000_000L),
          Map.entry("mb", 1_000_000L),
          Map.entry("g", 1_000_000_000L),
          Map.entry("gb", 1_000_000_000L),
          Map.entry("t", 1_000_000_000_000L),
          Map.entry("tb", 1_000_000_000_000L),
          Map.entry("p", 1_000_000_000_000_000L),
          Map.entry("pb", 1_000_000_000_000_000L),
          Map.entry("ki", 1L << 10),
          Map.entry("kib", 1L << 10),
          Map.entry("mi", 1L << 20),
          Map.entry("mib", 1L << 20),
          Map.entry("gi", 1L << 30),
          Map.entry("gib", 1L << 30),
          Map.entry("ti", 1L << 40),
          Map.entry("tib", 1L << 40),
          Map.entry("pi", 1L << 50),
          Map.entry("pib", 1L << 50));

  /** Units {@link #toString} may choose from. */
  private static final List<Map.Entry<String, Long>> FORMAT_UNITS =
      List.of(
          Map.entry("PiB", 1L << 50),
          Map.entry("TiB", 1L << 40),
          Map.entry("GiB", 1L << 30),
          Map.entry("MiB", 1L << 20),
          Map.entry("KiB", 1L << 10),
          Map.entry("PB", 1_000_000_000_000_000L),
          Map.entry("TB", 1_000_000_000_000L),
          Map.entry("GB", 1_000_000_000L),
          Map.entry("MB", 1_000_000L),
          Map.entry("kB", 1_000L));

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative, got " + bytes);
    }
  }

  /** Convenience for constants: {@code DataSize.ofBytes(4L << 30)}. */
  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  /**
   * Parses a size: a number, optionally with a fraction, then an optional unit: B, kB, MB, GB, TB,
   * PB (powers of 1000) or KiB, MiB, GiB, TiB, PiB (powers of 1024), case-insensitive, B optional.
   * Fractions of a byte are dropped.
   *
   * @throws IllegalArgumentException with a reason fit for the user
   */
  public static DataSize parse(String text) {
    var matcher = SYNTAX.matcher(text.strip());
    Long unit = null;
    if (matcher.matches()) {
      unit = UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT));
    }
    if (unit == null) {
      throw new IllegalArgumentException(
          "expected a size like 4096, 10kB, 512MiB or 1.5GB, got '" + text + "'");
    }
    BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit));
    if (unit == 1 && bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "a size in bytes must be a whole number, got '" + text + "'");
    }
    try {
      return new DataSize(bytes.setScale(0, RoundingMode.FLOOR).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'", e);
    }
  }

  @Override
  public int compareTo(DataSize other) {
    return Long.compare(bytes, other.bytes);
  }

  /**
   * The exact form with the smallest number, such as {@code 4GiB}, {@code 200GB}, {@code 1234B}.
   */
  @Override
  public String toString() {
    long number = bytes;
    String unitName = "B";
    for (Map.Entry<String, Long> unit : FORMAT_UNITS) {
      if (bytes > 0 && bytes % unit.getValue() == 0 && bytes / unit.getValue() < number) {
        number = bytes / unit.getValue();
        unitName = unit.getKey();
      }
    }
    return number + unitName;
  }
}
