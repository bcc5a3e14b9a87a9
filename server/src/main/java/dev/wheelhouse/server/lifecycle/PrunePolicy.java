package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.storage.EntryRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@link Pruner} may evict, and when.
 *
 * <p>Only entries of {@code owners} not matched by {@code keep} are evictable; limits apply to them
 * alone. Sizes are entry sizes: a blob shared by two evictable entries counts twice, and evicting
 * an entry whose blob another entry still holds frees nothing on disk.
 *
 * @param maxBytes evictable entries may total this many bytes at most; the least recently used
 *     beyond it are evicted
 * @param maxAge entries not used ({@link dev.wheelhouse.storage.StoredEntry#lastUsed()}) for longer
 *     than this are evicted
 * @param minFreeBytes least recently used entries are evicted until the data directory's file
 *     system has this much free space (estimated from entry sizes before deleting anything)
 * @param keep projects never evicted; for apt files the package name (see {@link
 *     EntryNames#project})
 * @param owners indexes and apt mirrors whose entries may be evicted; entries of any other owner
 *     (hosted indexes, unless configured otherwise) are never touched
 */
public record PrunePolicy(
    OptionalLong maxBytes,
    Optional<Duration> maxAge,
    OptionalLong minFreeBytes,
    List<ProjectPattern> keep,
    Set<String> owners) {

  public PrunePolicy {
    Objects.requireNonNull(maxBytes, "maxBytes");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(minFreeBytes, "minFreeBytes");
    keep = List.copyOf(keep);
    owners = Set.copyOf(owners);
    if (maxBytes.isPresent() && maxBytes.getAsLong() < 0) {
      throw new IllegalArgumentException("negative maxBytes: " + maxBytes.getAsLong());
    }
    if (minFreeBytes.isPresent() && minFreeBytes.getAsLong() < 0) {
      throw new IllegalArgumentException("negative minFreeBytes: " + minFreeBytes.getAsLong());
    }
    if (maxAge.isPresent() && maxAge.get().isNegative()) {
      throw new IllegalArgumentException("negative maxAge: " + maxAge.get());
    }
  }

  /** Whether any limit is set; without one, nothing is ever evicted. */
  public boolean hasLimits() {
    return maxBytes.isPresent() || maxAge.isPresent() || minFreeBytes.isPresent();
  }

  /** Whether {@code ref}'s project is on the keep-list. */
  public boolean keeps(EntryRef ref) {
    if (keep.isEmpty()) {
      return false;
    }
    String project = EntryNames.project(ref);
    for (ProjectPattern pattern : keep) {
      if (pattern.matches(project)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the limits apply to {@code ref}: its owner is listed and its project not kept. */
  public boolean evictable(EntryRef ref) {
    return owners.contains(ref.owner()) && !keeps(ref);
  }
}
