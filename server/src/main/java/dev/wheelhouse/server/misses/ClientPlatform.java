package dev.wheelhouse.server.misses;

import dev.wheelhouse.packaging.tags.Arch;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import dev.wheelhouse.storage.PlatformMiss;
import java.time.Instant;
import java.util.Optional;

/**
 * The platform a pip or uv client installs for: CPython {@code major.minor} on Linux, a CPU
 * architecture and a C library.
 *
 * @param python {@code major.minor}, e.g. {@code 3.12}
 */
record ClientPlatform(Arch arch, String python, Libc libc) {

  /** Container-style, e.g. {@code linux/arm64}. */
  String platform() {
    return arch.containerPlatform();
  }

  /** E.g. {@code glibc 2.36} or {@code musl 1.2}. */
  String libcLabel() {
    return (libc.kind() == Libc.Kind.GLIBC ? "glibc " : "musl ")
        + libc.major()
        + "."
        + libc.minor();
  }

  /** The wheel tags this client accepts. */
  TargetEnvironment target() {
    return TargetEnvironment.of(platform(), python, libc);
  }

  /** One sighting of this platform missing a wheel of {@code project}. */
  PlatformMiss sighting(String index, String project, Instant when, Optional<String> version) {
    return new PlatformMiss(
        index, project, platform(), python, libcLabel(), 1, when, when, version);
  }
}
