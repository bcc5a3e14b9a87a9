package dev.wheelhouse.server.lifecycle;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Entries of one kind held by one index or apt mirror, in a {@link StatsReport}.
 *
 * @param name the index or apt mirror
 * @param kind what the server calls these entries, e.g. "hosted", "proxy", "apt package"
 * @param files how many entries
 * @param bytes their total size
 * @param hits recorded downloads of them
 * @param lastAccess the latest recorded download of any of them
 */
public record OwnerTotal(
    String name, String kind, long files, long bytes, long hits, Optional<Instant> lastAccess) {
  public OwnerTotal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(lastAccess, "lastAccess");
  }
}
