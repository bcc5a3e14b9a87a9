package dev.wheelhouse.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Durations as written in the configuration: {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 90d}.
 */
public final class Durations {
  // "ms" comes first so that "500ms" is not read as 500 minutes and a stray "s".
  private static final Pattern PART = Pattern.compile("(\\d{1,18})(ms|d|h|m|s)");
  private static final List<String> UNIT_ORDER = List.of("d", "h", "m", "s", "ms");

  private Durations() {}

  /**
   * Parses one or more {@code <number><unit>} parts, largest unit first, with units d, h, m, s and
   * ms; a bare {@code 0} is zero.
   *
   * @throws IllegalArgumentException with a reason fit for the user
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    var matcher = PART.matcher(trimmed);
    Duration total = Duration.ZERO;
    int position = 0;
    int lastUnit = -1;
    try {
      while (position < trimmed.length()) {
        if (!matcher.region(position, trimmed.length()).lookingAt()) {
          throw expected(text);
        }
        int unit = UNIT_ORDER.indexOf(matcher.group(2));
        if (unit <= lastUnit) {
          throw new IllegalArgumentException(
              "units of a duration must go from largest to smallest, each once, got '"
                  + text
                  + "'");
        }
        total = total.plus(of(Long.parseLong(matcher.group(1)), matcher.group(2)));
        lastUnit = unit;
        position = matcher.end();
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration too long: '" + text + "'", e);
    }
    if (lastUnit < 0) {
      throw expected(text);
    }
    return total;
  }

  /**
   * The shortest form {@link #parse} reads back ({@code 1h30m}, {@code 0s}); drops
   * sub-milliseconds.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration " + duration);
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toDaysPart(), "d");
    append(out, duration.toHoursPart(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.length() == 0 ? "0s" : out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount > 0) {
      out.append(amount).append(unit);
    }
  }

  private static Duration of(long amount, String unit) {
    return switch (unit) {
      case "d" -> Duration.ofDays(amount);
      case "h" -> Duration.ofHours(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMillis(amount);
    };
  }

  private static IllegalArgumentException expected(String text) {
    return new IllegalArgumentException(
        "expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m, got '" + text + "'");
  }
}
