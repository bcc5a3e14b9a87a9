package dev.wheelhouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What pruning removes: cached files of proxy indexes and apt mirrors, and uploads to hosted
 * indexes only where {@code hosted} names them.
 *
 * @param maxSize evict least recently used cached files beyond this total; default no limit
 * @param maxAge evict cached files unused for this long; default no limit
 * @param minFree evict least recently used cached files while the data disk has less free space;
 *     default no limit
 * @param keep project patterns never pruned; default none
 * @param hosted hosted indexes whose uploads may be pruned too; default none
 * @param interval prune by this policy this often, in the background; default only on demand
 */
public record PruneConfig(
    Optional<DataSize> maxSize,
    Optional<Duration> maxAge,
    Optional<DataSize> minFree,
    List<String> keep,
    List<String> hosted,
    Optional<Duration> interval) {
  /** No limits: prune removes nothing unless told to. */
  public static final PruneConfig DEFAULT =
      new PruneConfig(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          Optional.empty());

  public PruneConfig {
    Objects.requireNonNull(maxSize, "maxSize");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(minFree, "minFree");
    Objects.requireNonNull(interval, "interval");
    keep = List.copyOf(keep);
    hosted = List.copyOf(hosted);
  }
}
