package dev.wheelhouse.cli.build;

import java.util.OptionalInt;

/** Reads the target machine of an ELF file from its header (native code in a wheel). */
final class ElfMachine {
  static final int HEADER_BYTES = 20;
  private static final int EI_DATA = 5;
  private static final int E_MACHINE = 18;
  private static final int LITTLE_ENDIAN = 1;

  private ElfMachine() {}

  /** The e_machine value if {@code header} starts an ELF file, else empty. */
  static OptionalInt of(byte[] header, int length) {
    if (length < HEADER_BYTES
        || header[0] != 0x7f
        || header[1] != 'E'
        || header[2] != 'L'
        || header[3] != 'F') {
      return OptionalInt.empty();
    }
    int low = header[E_MACHINE] & 0xff;
    int high = header[E_MACHINE + 1] & 0xff;
    return OptionalInt.of(header[EI_DATA] == LITTLE_ENDIAN ? low | high << 8 : high | low << 8);
  }

  /** A name for an e_machine value in messages. */
  static String name(int machine) {
    return switch (machine) {
      case 62 -> "x86-64";
      case 183 -> "AArch64";
      case 40 -> "ARM";
      case 3 -> "i386";
      case 21 -> "PowerPC64";
      case 22 -> "S/390";
      default -> "machine " + machine;
    };
  }
}
