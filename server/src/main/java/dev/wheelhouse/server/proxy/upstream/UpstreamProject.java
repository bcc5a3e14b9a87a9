package dev.wheelhouse.server.proxy.upstream;

import java.util.List;
import java.util.Objects;

/**
 * An upstream project page: the name as the upstream spells it (JSON {@code name}; for HTML the
 * requested name) and its distribution files in page order.
 */
public record UpstreamProject(String name, List<UpstreamFile> files) {
  public UpstreamProject {
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
  }
}
