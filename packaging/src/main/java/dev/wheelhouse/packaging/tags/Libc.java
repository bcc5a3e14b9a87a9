package dev.wheelhouse.packaging.tags;

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

  /** glibc 2.36, as in Debian bookworm (the python:3.x images' base). */
  public static Libc defaultGlibc() {
    return new Libc(Kind.GLIBC, 2, 36);
  }

  /**
   * Parses {@code 2_28}, {@code 2.28}, {@code manylinux_2_28}, {@code manylinux2014} for glibc, or
   * {@code musllinux_1_2}/{@code 1_2} with {@code kind == MUSL}; throws IllegalArgumentException.
   */
  public static Libc parse(Kind kind, String text) {
    throw new UnsupportedOperationException("TODO");
  }
}
