package dev.wheelhouse.packaging.tags;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A Linux CPU architecture, named as in wheel platform tags and in container platforms. */
public enum Arch {
  X86_64("x86_64", "linux/amd64", 62, 5),
  AARCH64("aarch64", "linux/arm64", 183, 17),
  ARMV7L("armv7l", "linux/arm/v7", 40, 17),
  PPC64LE("ppc64le", "linux/ppc64le", 21, 17),
  S390X("s390x", "linux/s390x", 22, 17),
  I686("i686", "linux/386", 3, 5);

  private static final Map<String, Arch> BY_NAME = byName();

  private final String machine;
  private final String containerPlatform;
  private final int elfMachine;
  private final int oldestGlibcMinor;

  Arch(String machine, String containerPlatform, int elfMachine, int oldestGlibcMinor) {
    this.machine = machine;
    this.containerPlatform = containerPlatform;
    this.elfMachine = elfMachine;
    this.oldestGlibcMinor = oldestGlibcMinor;
  }

  private static Map<String, Arch> byName() {
    Map<String, Arch> names = new HashMap<>();
    for (Arch arch : values()) {
      names.put(arch.machine, arch);
      names.put(arch.containerPlatform, arch);
      for (String alias : otherNames(arch)) {
        names.put(alias, arch);
      }
    }
    return Map.copyOf(names);
  }

  /** Spellings besides the machine and container platform: Debian, docker and JVM names. */
  private static List<String> otherNames(Arch arch) {
    return switch (arch) {
      case X86_64 -> List.of("amd64");
      case AARCH64 -> List.of("arm64", "linux/arm64/v8", "arm64/v8");
      case ARMV7L -> List.of("arm/v7", "armhf");
      case I686 -> List.of("386", "i386", "x86", "linux/i386");
      case PPC64LE, S390X -> List.of();
    };
  }

  /** As in platform tags and {@code platform.machine()}: {@code x86_64}, {@code aarch64}, ... */
  public String machine() {
    return machine;
  }

  /** As podman and docker name it: {@code linux/amd64}, {@code linux/arm64}, ... */
  public String containerPlatform() {
    return containerPlatform;
  }

  /** The ELF header's e_machine value for native code of this architecture. */
  public int elfMachine() {
    return elfMachine;
  }

  /**
   * From a container platform ({@code linux/arm64}, {@code linux/arm64/v8}, {@code arm64}) or a
   * machine name ({@code aarch64}, {@code x86_64}, {@code amd64}).
   */
  public static Optional<Arch> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
  }

  /**
   * The oldest glibc 2.x minor with manylinux wheels for this architecture: 2.5 (manylinux1) on
   * x86, 2.17 (manylinux2014) elsewhere, as packaging's manylinux tag generation assumes.
   */
  public int oldestGlibcMinor() {
    return oldestGlibcMinor;
  }
}
