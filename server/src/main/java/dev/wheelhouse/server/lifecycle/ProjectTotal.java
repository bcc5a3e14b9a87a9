package dev.wheelhouse.server.lifecycle;

import java.util.Objects;

/**
 * Files and bytes of one project of one index or apt mirror, in prune and stats reports.
 *
 * @param index the index or apt mirror
 * @param project the project, or for apt files the package (see {@link EntryNames#project})
 * @param files how many entries
 * @param bytes their total size
 */
public record ProjectTotal(String index, String project, long files, long bytes) {
  public ProjectTotal {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
  }
}
