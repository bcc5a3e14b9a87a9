package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.Tag;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The interpreter and platform a wheel must fit: CPython {@code major.minor}, a Linux CPU
 * architecture, and a C library (glibc with a version for manylinux, or musl for musllinux).
 *
 * @param pythonVersion {@code major.minor}, e.g. {@code 3.12}
 * @param pythonFullVersion e.g. {@code 3.12.0}; {@code major.minor.0} when only major.minor is known
 * @param arch CPU architecture as Python's platform.machine() names it
 * @param libc the C library and its version
 */
public record TargetEnvironment(
    String pythonVersion, String pythonFullVersion, Arch arch, Libc libc) {

  /**
   * From a container platform ({@code linux/amd64}, {@code linux/arm64}, {@code linux/arm64/v8},
   * ...), a Python version ({@code 3.12} or {@code 3.12.1}) and a libc; throws {@link
   * IllegalArgumentException} with a one-line reason.
   */
  public static TargetEnvironment of(String platform, String python, Libc libc) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every tag this target accepts, best first, in the order pip's packaging.tags gives. */
  public List<Tag> supportedTags() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The index of {@code tag} in {@link #supportedTags()} (lower is better), empty if unsupported. */
  public OptionalInt priority(Tag tag) {
    throw new UnsupportedOperationException("TODO");
  }

  /** PEP 508 marker variables for this target (Linux, CPython). */
  public Map<String, String> markerEnvironment() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The container platform, e.g. {@code linux/arm64}. */
  public String containerPlatform() {
    return arch.containerPlatform();
  }

  /** A short label for tables and metrics, e.g. {@code linux/arm64 cp312 manylinux_2_36}. */
  public String label() {
    throw new UnsupportedOperationException("TODO");
  }
}
