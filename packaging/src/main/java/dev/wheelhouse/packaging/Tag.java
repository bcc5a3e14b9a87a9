package dev.wheelhouse.packaging;

import java.util.Objects;

/** One wheel compatibility tag (PEP 425), e.g. {@code cp311-cp311-linux_x86_64}. */
public record Tag(String interpreter, String abi, String platform) {
  public Tag {
    Objects.requireNonNull(interpreter, "interpreter");
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(platform, "platform");
  }

  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
