package dev.wheelhouse.server.pypi;

import dev.wheelhouse.packaging.ProjectName;
import java.util.List;

/**
 * What one project page lists: its files, in version order, each with the index serving it.
 *
 * @param stale names of proxy members whose page was served from cache because upstream failed
 */
public record ProjectPage(
    ProjectName name, String displayName, List<PageFile> files, List<String> stale) {
  public ProjectPage {
    files = List.copyOf(files);
    stale = List.copyOf(stale);
  }
}
