package dev.wheelhouse.server.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry a prune selected for eviction.
 *
 * @param index the index or apt mirror
 * @param project its project (see {@link EntryNames#project})
 * @param name its filename, or an apt file's path (see {@link EntryNames#name})
 * @param bytes its size
 * @param lastUsed its last access, or when it was stored if never accessed
 * @param reason {@code "max-age"}, {@code "max-size"} or {@code "min-free"}
 */
public record SelectedFile(
    String index, String project, String name, long bytes, Instant lastUsed, String reason) {
  public SelectedFile {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastUsed, "lastUsed");
    Objects.requireNonNull(reason, "reason");
  }
}
