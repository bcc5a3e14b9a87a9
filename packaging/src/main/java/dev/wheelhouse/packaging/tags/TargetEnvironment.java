package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.Tag;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The interpreter and platform a wheel must fit: CPython {@code major.minor}, a Linux CPU
 * architecture, and a C library (glibc with a version for manylinux, or musl for musllinux).
 *
 * @param pythonVersion {@code major.minor}, e.g. {@code 3.12}
 * @param pythonFullVersion e.g. {@code 3.12.0}; {@code major.minor.0} when only major.minor is
 *     known
 * @param arch CPU architecture as Python's platform.machine() names it
 * @param libc the C library and its version
 */
public record TargetEnvironment(
    String pythonVersion, String pythonFullVersion, Arch arch, Libc libc) {

  private static final Pattern PYTHON =
      Pattern.compile("(?<major>[0-9]{1,3})\\.(?<minor>[0-9]{1,3})(?:\\.(?<micro>[0-9]{1,3}))?");
  private static final Pattern MAJOR_MINOR = Pattern.compile("3\\.(0|[1-9][0-9]{0,2})");
  private static final Pattern MICRO = Pattern.compile("0|[1-9][0-9]{0,2}");

  /** Validates the parts; throws {@link IllegalArgumentException} with a one-line reason. */
  public TargetEnvironment {
    Objects.requireNonNull(pythonVersion, "pythonVersion");
    Objects.requireNonNull(pythonFullVersion, "pythonFullVersion");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(libc, "libc");
    if (!MAJOR_MINOR.matcher(pythonVersion).matches()) {
      throw new IllegalArgumentException(
          "invalid Python version "
              + PackagingException.quote(pythonVersion)
              + ": expected CPython 3.x as major.minor, e.g. 3.12");
    }
    if (!pythonFullVersion.startsWith(pythonVersion + ".")
        || !MICRO.matcher(pythonFullVersion.substring(pythonVersion.length() + 1)).matches()) {
      throw new IllegalArgumentException(
          "invalid Python full version "
              + PackagingException.quote(pythonFullVersion)
              + ": expected "
              + pythonVersion
              + ".N");
    }
    if (libc.kind() == Libc.Kind.GLIBC
        && libc.major() == 2
        && libc.minor() < arch.oldestGlibcMinor()) {
      throw new IllegalArgumentException(
          "glibc "
              + libc.major()
              + "."
              + libc.minor()
              + " is too old for "
              + arch.machine()
              + ": manylinux wheels for it start at manylinux_2_"
              + arch.oldestGlibcMinor());
    }
  }

  /**
   * From a container platform ({@code linux/amd64}, {@code linux/arm64}, {@code linux/arm64/v8},
   * ...), a Python version ({@code 3.12} or {@code 3.12.1}) and a libc; throws {@link
   * IllegalArgumentException} with a one-line reason.
   */
  public static TargetEnvironment of(String platform, String python, Libc libc) {
    Objects.requireNonNull(libc, "libc");
    Arch arch =
        Arch.fromName(platform)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unsupported platform "
                            + PackagingException.quote(platform)
                            + ": expected one of "
                            + Arrays.stream(Arch.values())
                                .map(Arch::containerPlatform)
                                .collect(Collectors.joining(", "))));
    Matcher m = PYTHON.matcher(python == null ? "" : python.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid Python version "
              + PackagingException.quote(python)
              + ": expected major.minor or major.minor.micro, e.g. 3.12 or 3.12.1");
    }
    int major = Integer.parseInt(m.group("major"));
    if (major != 3) {
      throw new IllegalArgumentException(
          "unsupported Python version "
              + PackagingException.quote(python)
              + ": only CPython 3.x is supported");
    }
    String majorMinor = major + "." + Integer.parseInt(m.group("minor"));
    int micro = m.group("micro") == null ? 0 : Integer.parseInt(m.group("micro"));
    return new TargetEnvironment(majorMinor, majorMinor + "." + micro, arch, libc);
  }

  /** Every tag this target accepts, best first, in the order pip's packaging.tags gives. */
  public List<Tag> supportedTags() {
    return SupportedTags.of(this).tags();
  }

  /**
   * The index of {@code tag} in {@link #supportedTags()} (lower is better), empty if unsupported.
   */
  public OptionalInt priority(Tag tag) {
    Objects.requireNonNull(tag, "tag");
    return SupportedTags.of(this).priority(tag);
  }

  /** PEP 508 marker variables for this target (Linux, CPython). */
  public Map<String, String> markerEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("implementation_name", "cpython");
    environment.put("implementation_version", pythonFullVersion);
    environment.put("os_name", "posix");
    environment.put("platform_machine", arch.machine());
    environment.put("platform_python_implementation", "CPython");
    // The kernel release and build of the machine that will run the code are unknown here.
    environment.put("platform_release", "");
    environment.put("platform_system", "Linux");
    environment.put("platform_version", "");
    environment.put("python_full_version", pythonFullVersion);
    environment.put("python_version", pythonVersion);
    environment.put("sys_platform", "linux");
    return Collections.unmodifiableMap(environment);
  }

  /** The container platform, e.g. {@code linux/arm64}. */
  public String containerPlatform() {
    return arch.containerPlatform();
  }

  /** A short label for tables and metrics, e.g. {@code linux/arm64 cp312 manylinux_2_36}. */
  public String label() {
    return containerPlatform() + " " + interpreterTag() + " " + libc.tagPrefix();
  }

  /** The interpreter tag of this target, e.g. {@code cp312}. */
  public String interpreterTag() {
    return "cp3" + pythonMinor();
  }

  /** The minor of {@link #pythonVersion()}, e.g. 12 for 3.12. */
  int pythonMinor() {
    return Integer.parseInt(pythonVersion.substring("3.".length()));
  }
}
