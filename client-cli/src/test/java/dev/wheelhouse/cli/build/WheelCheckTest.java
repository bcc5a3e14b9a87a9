package dev.wheelhouse.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelCheckTest {
  private static final TargetEnvironment ARM64 =
      TargetEnvironment.of("linux/arm64", "3.11", Libc.defaultGlibc());
  private static final TargetEnvironment AMD64 =
      TargetEnvironment.of("linux/amd64", "3.11", Libc.defaultGlibc());

  @TempDir Path tmp;

  @Test
  void aWheelWithAarch64CodeAndAnAarch64TagFitsArm64() throws IOException {
    Path wheel = wheel("cext-0.1-cp311-cp311-linux_aarch64.whl", Map.of("cext.so", elf(183, true)));

    WheelCheck.Report report = WheelCheck.check(wheel, ARM64, Optional.of(ProjectName.of("cext")));

    assertThat(report.problems()).isEmpty();
    assertThat(report.nativeFiles()).isEqualTo(1);
    assertThat(report.elfMachines()).containsExactly("AArch64");
  }

  @Test
  void x86CodeInsideAnAarch64TaggedWheelIsRefused() throws IOException {
    Path wheel =
        wheel(
            "cext-0.1-cp311-cp311-manylinux_2_17_aarch64.whl",
            Map.of("cext.so", elf(183, true), "cext.libs/libfoo.so.1", elf(62, true)));

    WheelCheck.Report report = WheelCheck.check(wheel, ARM64, Optional.empty());

    assertThat(report.fits()).isFalse();
    assertThat(report.problems())
        .singleElement()
        .asString()
        .contains("cext.libs/libfoo.so.1 is x86-64 code, not AArch64");
  }

  @Test
  void aTagForAnotherPlatformIsRefused() throws IOException {
    Path wheel = wheel("cext-0.1-cp311-cp311-linux_x86_64.whl", Map.of("cext.so", elf(62, true)));

    assertThat(WheelCheck.check(wheel, ARM64, Optional.empty()).problems())
        .anySatisfy(p -> assertThat(p).contains("no tag fits linux/arm64"));
    assertThat(WheelCheck.check(wheel, AMD64, Optional.empty()).problems()).isEmpty();
  }

  @Test
  void nativeCodeInAPureWheelAndAWrongProjectAreRefused() throws IOException {
    Path wheel = wheel("other-0.1-py3-none-any.whl", Map.of("x.so", elf(183, false)));

    assertThat(WheelCheck.check(wheel, ARM64, Optional.of(ProjectName.of("cext"))).problems())
        .anySatisfy(p -> assertThat(p).contains("is not a wheel of cext"))
        .anySatisfy(
            p -> assertThat(p).contains("holds native code but is tagged for any platform"));
  }

  @Test
  void aPureWheelWithoutNativeCodeFitsEveryTarget() throws IOException {
    Path wheel =
        wheel(
            "pure-1.0-py3-none-any.whl",
            Map.of(
                "pure/__init__.py", "x = 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(WheelCheck.check(wheel, ARM64, Optional.empty()).problems()).isEmpty();
    assertThat(WheelCheck.check(wheel, AMD64, Optional.empty()).problems()).isEmpty();
  }

  @Test
  void bigEndianHeadersAreReadInTheirOwnByteOrder() {
    byte[] header = elf(22, false);

    assertThat(ElfMachine.of(header, header.length)).hasValue(22);
    assertThat(ElfMachine.of(new byte[] {0x7f, 'E', 'L'}, 3)).isEmpty();
  }

  /** The first 20 bytes of an ELF file for {@code machine}. */
  private static byte[] elf(int machine, boolean littleEndian) {
    byte[] header = new byte[64];
    header[0] = 0x7f;
    header[1] = 'E';
    header[2] = 'L';
    header[3] = 'F';
    header[4] = 2;
    header[5] = (byte) (littleEndian ? 1 : 2);
    header[littleEndian ? 18 : 19] = (byte) (machine & 0xff);
    header[littleEndian ? 19 : 18] = (byte) (machine >> 8);
    return header;
  }

  private Path wheel(String name, Map<String, byte[]> entries) throws IOException {
    Path wheel = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return wheel;
  }
}
