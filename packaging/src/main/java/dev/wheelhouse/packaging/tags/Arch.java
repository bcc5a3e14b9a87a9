package dev.wheelhouse.packaging.tags;

import java.util.Optional;

/** A Linux CPU architecture, named as in wheel platform tags and in container platforms. */
public enum Arch {
  X86_64("x86_64", "linux/amd64", 62),
  AARCH64("aarch64", "linux/arm64", 183),
  ARMV7L("armv7l", "linux/arm/v7", 40),
  PPC64LE("ppc64le", "linux/ppc64le", 21),
  S390X("s390x", "linux/s390x", 22),
  I686("i686", "linux/386", 3);

  private final String machine;
  private final String containerPlatform;
  private final int elfMachine;

  Arch(String machine, String containerPlatform, int elfMachine) {
    this.machine = machine;
    this.containerPlatform = containerPlatform;
    this.elfMachine = elfMachine;
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
    throw new UnsupportedOperationException("TODO");
  }
}
