package dev.wheelhouse.cli;

import java.util.Locale;

/** Sizes for people: decimal units as pip and twine print them ("12.3 kB", "1.2 GB"). */
public final class ByteSize {
  private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB"};

  private ByteSize() {}

  public static String format(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
