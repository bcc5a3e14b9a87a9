package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.packaging.tags.Arch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this host can run containers of a foreign architecture: QEMU user emulation registered
 * with the kernel's binfmt_misc, as qemu-user-static (or a binfmt installer image) does.
 */
final class Emulation {
  static final Path BINFMT = Path.of("/proc/sys/fs/binfmt_misc");

  private Emulation() {}

  /** The architecture this JVM runs on. */
  static Optional<Arch> host() {
    return Arch.fromName(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
  }

  /** Whether {@code target} needs emulation here. */
  static boolean isForeign(Arch target) {
    return host().map(h -> h != target).orElse(true);
  }

  /** Throws a one-line reason with the fix when {@code target} is foreign and not emulated. */
  static void requireRunnable(Arch target) {
    if (!isForeign(target)) {
      return;
    }
    Path handler = BINFMT.resolve("qemu-" + target.machine());
    String state;
    try {
      state = Files.readString(handler, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CommandFailure.failed(
          target.containerPlatform()
              + " containers need QEMU user emulation, and "
              + handler
              + " is not registered: install qemu-user-static (or binfmt-support) and register"
              + " its handlers, e.g. /usr/lib/systemd/systemd-binfmt");
    }
    if (!state.startsWith("enabled")) {
      throw CommandFailure.failed(handler + " is registered but disabled: echo 1 > " + handler);
    }
  }
}
