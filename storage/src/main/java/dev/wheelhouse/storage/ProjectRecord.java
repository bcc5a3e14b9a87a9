package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A project of an index.
 *
 * @param project PEP 503 normalized name
 * @param displayName the name as first uploaded, e.g. "Foo_Bar"
 * @param lastChanged when a file of the project was last added, removed or (un)yanked
 */
public record ProjectRecord(String index, String project, String displayName, Instant lastChanged) {
  public ProjectRecord {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(lastChanged, "lastChanged");
  }
}
