package dev.wheelhouse.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Values from command-line flags; they beat the file and the environment.
 *
 * @param listen replaces {@code listen} (HOST:PORT)
 * @param data replaces {@code data}
 */
public record ConfigOverrides(Optional<String> listen, Optional<String> data) {
  public ConfigOverrides {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(data, "data");
  }

  /** No overrides. */
  public static ConfigOverrides none() {
    return new ConfigOverrides(Optional.empty(), Optional.empty());
  }
}
