package dev.wheelhouse.config;

import java.util.List;
import java.util.Optional;

/**
 * The apt pull-through cache. Only these mirrors are ever contacted.
 *
 * @param mirrors the upstream repositories; default none
 */
public record AptConfig(List<AptMirrorConfig> mirrors) {
  /** No mirrors: the apt cache is off. */
  public static final AptConfig DEFAULT = new AptConfig(List.of());

  public AptConfig {
    mirrors = List.copyOf(mirrors);
  }

  /** The mirror called {@code name}, if configured. */
  public Optional<AptMirrorConfig> mirror(String name) {
    return mirrors.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
