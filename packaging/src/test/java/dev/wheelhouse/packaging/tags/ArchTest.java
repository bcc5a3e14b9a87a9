package dev.wheelhouse.packaging.tags;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchTest {

  @ParameterizedTest
  @CsvSource({
    // container platforms, as podman and docker name them
    "linux/amd64,    X86_64",
    "linux/arm64,    AARCH64",
    "linux/arm64/v8, AARCH64",
    "linux/arm/v7,   ARMV7L",
    "linux/ppc64le,  PPC64LE",
    "linux/s390x,    S390X",
    "linux/386,      I686",
    // machine names, as platform.machine() and platform tags spell them
    "x86_64,         X86_64",
    "aarch64,        AARCH64",
    "armv7l,         ARMV7L",
    "ppc64le,        PPC64LE",
    "s390x,          S390X",
    "i686,           I686",
    // Debian and docker short names
    "amd64,          X86_64",
    "arm64,          AARCH64",
    // the JVM's os.arch for 32-bit x86
    "x86,            I686",
    // case and surrounding blanks do not matter
    "LINUX/AMD64,    X86_64",
    "' Aarch64 ',    AARCH64",
  })
  void resolvesNames(String name, Arch expected) {
    assertThat(Arch.fromName(name)).contains(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"windows/amd64", "darwin/arm64", "linux/riscv64", "linux", "arm"})
  void rejectsUnknownNames(String name) {
    assertThat(Arch.fromName(name)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    // x86 has manylinux1 (glibc 2.5) wheels; the others start at manylinux2014 (glibc 2.17)
    "X86_64,  x86_64,  linux/amd64,   5",
    "I686,    i686,    linux/386,     5",
    "AARCH64, aarch64, linux/arm64,   17",
    "ARMV7L,  armv7l,  linux/arm/v7,  17",
    "PPC64LE, ppc64le, linux/ppc64le, 17",
    "S390X,   s390x,   linux/s390x,   17",
  })
  void describesEachArchitecture(
      Arch arch, String machine, String containerPlatform, int oldestGlibcMinor) {
    assertThat(arch.machine()).isEqualTo(machine);
    assertThat(arch.containerPlatform()).isEqualTo(containerPlatform);
    assertThat(arch.oldestGlibcMinor()).isEqualTo(oldestGlibcMinor);
    assertThat(Arch.fromName(machine)).contains(arch);
    assertThat(Arch.fromName(containerPlatform)).contains(arch);
  }
}
