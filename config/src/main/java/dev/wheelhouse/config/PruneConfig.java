package dev.wheelhouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code wheelhouse prune} removes from caches (uploads to hosted indexes are never pruned).
 *
 * @param maxSize evict least recently used cached files beyond this total; default no limit
 * @param maxAge evict cached files not used for this long; default no limit
 * @param keep project patterns never pruned; default none
 */
public record PruneConfig(
    Optional<DataSize> maxSize, Optional<Duration> maxAge, List<String> keep) {
  /** No limits: prune removes nothing unless told to. */
  public static final PruneConfig DEFAULT =
      new PruneConfig(Optional.empty(), Optional.empty(), List.of());

  public PruneConfig {
    Objects.requireNonNull(maxSize, "maxSize");
    Objects.requireNonNull(maxAge, "maxAge");
    keep = List.copyOf(keep);
  }
}
