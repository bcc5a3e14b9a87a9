package dev.wheelhouse.server.pypi;

import dev.wheelhouse.packaging.ProjectName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one project page lists: its files, in version order, each with the index serving it.
 *
 * @param stale names of proxy members whose page was served from cache because upstream failed
 * @param validUntil when a proxy member's part must be revalidated; empty if none is involved
 */
public record ProjectPage(
    ProjectName name,
    String displayName,
    List<PageFile> files,
    List<String> stale,
    Optional<Instant> validUntil) {
  public ProjectPage {
    files = List.copyOf(files);
    stale = List.copyOf(stale);
  }
}
