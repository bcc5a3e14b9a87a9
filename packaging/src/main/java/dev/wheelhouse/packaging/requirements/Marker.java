package dev.wheelhouse.packaging.requirements;

import java.util.Map;

/** A PEP 508 environment marker such as {@code python_version >= "3.10" and platform_machine == "aarch64"}. */
public final class Marker {
  /** Parses a marker expression; throws {@link RequirementSyntaxException}. */
  public static Marker parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Evaluates against marker variables ({@code python_version}, {@code python_full_version},
   * {@code platform_machine}, {@code sys_platform}, {@code os_name}, {@code platform_system},
   * {@code implementation_name}, {@code platform_python_implementation}, {@code
   * implementation_version}, {@code platform_release}, {@code platform_version}); the marker's
   * extra variable is compared with each of {@code extras}. A variable missing from {@code environment} is an error.
   */
  public boolean evaluate(Map<String, String> environment, java.util.Set<String> extras) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String toString() {
    throw new UnsupportedOperationException("TODO");
  }
}
