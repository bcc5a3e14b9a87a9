package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.PackagingException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's C library: glibc {@code major.minor} (manylinux_M_m tags up to it) or musl {@code
 * major.minor} (musllinux_M_m tags up to it).
 */
public record Libc(Kind kind, int major, int minor) {
  /** Which C library. */
  public enum Kind {
    GLIBC,
    MUSL
  }

  private static final Pattern GLIBC =
      Pattern.compile("(?:manylinux_)?(?<major>[0-9]{1,4})[._](?<minor>[0-9]{1,4})");
  private static final Pattern MUSL =
      Pattern.compile("(?:musllinux_)?(?<major>[0-9]{1,4})[._](?<minor>[0-9]{1,4})");

  /** The pre-PEP 600 manylinux names and the glibc 2.x minor each stands for (PEP 513/571/599). */
  private static final Map<String, Integer> LEGACY_MANYLINUX =
      Map.of("manylinux1", 5, "manylinux2010", 12, "manylinux2014", 17);

  /** Validates the parts; throws IllegalArgumentException. */
  public Libc {
    Objects.requireNonNull(kind, "kind");
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException(
          "invalid " + displayName(kind) + " version " + major + "." + minor + ": negative");
    }
    if (kind == Kind.GLIBC && major < 2) {
      throw new IllegalArgumentException(
          "invalid glibc version " + major + "." + minor + ": manylinux starts at glibc 2");
    }
    if (kind == Kind.MUSL && major < 1) {
      throw new IllegalArgumentException(
          "invalid musl version " + major + "." + minor + ": musllinux starts at musl 1");
    }
  }

  /** glibc 2.36, as in Debian bookworm (the python:3.x images' base). */
  public static Libc defaultGlibc() {
    return new Libc(Kind.GLIBC, 2, 36);
  }

  /**
   * Parses {@code 2_28}, {@code 2.28}, {@code manylinux_2_28}, {@code manylinux2014} for glibc, or
   * {@code musllinux_1_2}/{@code 1_2} with {@code kind == MUSL}; throws IllegalArgumentException.
   */
  public static Libc parse(Kind kind, String text) {
    Objects.requireNonNull(kind, "kind");
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "missing " + displayName(kind) + " version: expected " + expected(kind));
    }
    String normalized = text.strip().toLowerCase(Locale.ROOT);
    if (kind == Kind.GLIBC && LEGACY_MANYLINUX.containsKey(normalized)) {
      return new Libc(Kind.GLIBC, 2, LEGACY_MANYLINUX.get(normalized));
    }
    Matcher m = (kind == Kind.GLIBC ? GLIBC : MUSL).matcher(normalized);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + displayName(kind)
              + " version "
              + PackagingException.quote(text)
              + ": expected "
              + expected(kind)
              + wrongKindHint(kind, normalized));
    }
    return new Libc(kind, Integer.parseInt(m.group("major")), Integer.parseInt(m.group("minor")));
  }

  /**
   * The platform tag prefix this libc's own version gives, e.g. {@code manylinux_2_36} or {@code
   * musllinux_1_2}.
   */
  public String tagPrefix() {
    return (kind == Kind.GLIBC ? "manylinux_" : "musllinux_") + major + "_" + minor;
  }

  private static String displayName(Kind kind) {
    return kind == Kind.GLIBC ? "glibc" : "musl";
  }

  private static String expected(Kind kind) {
    return kind == Kind.GLIBC
        ? "2_28, 2.28, manylinux_2_28, manylinux2014, manylinux2010 or manylinux1"
        : "1_2, 1.2 or musllinux_1_2";
  }

  /** Names the likely mix-up when a musllinux name is given for glibc, or the other way round. */
  private static String wrongKindHint(Kind kind, String normalized) {
    if (kind == Kind.GLIBC && normalized.startsWith("musllinux")) {
      return " (musllinux tags are for musl, not glibc)";
    }
    if (kind == Kind.MUSL && normalized.startsWith("manylinux")) {
      return " (manylinux tags are for glibc, not musl)";
    }
    return "";
  }
}
