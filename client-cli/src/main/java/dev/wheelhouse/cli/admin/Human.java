package dev.wheelhouse.cli.admin;

import dev.wheelhouse.config.Durations;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Numbers, times and counts as the admin commands print them for people. */
final class Human {
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

  private Human() {}

  /** {@code 1 file}, {@code 3 files}. */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** {@code 1 file}, {@code 3 files}: a regular plural. */
  static String count(long n, String one) {
    return count(n, one, one + "s");
  }

  /** An ISO-8601 timestamp from the server, to the minute in UTC; "-" when absent. */
  static String time(String iso) {
    if (iso == null || iso.isBlank()) {
      return "-";
    }
    try {
      return MINUTES.format(OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  /** How long something took: {@code 340 ms}, {@code 1.2 s}, {@code 2m5s}. */
  static String took(long millis) {
    if (millis < 1000) {
      return Math.max(0, millis) + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return Durations.format(Duration.ofSeconds(millis / 1000));
  }

  /** A ratio as a percentage with one decimal, {@code 93.0%}; "-" when absent. */
  static String percent(Double ratio) {
    if (ratio == null || ratio.isNaN()) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }
}
