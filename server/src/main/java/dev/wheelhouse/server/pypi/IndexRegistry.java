package dev.wheelhouse.server.pypi;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.config.WheelhouseConfig;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.server.http.HttpProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The configured indexes by name, and what each one resolves to. */
public final class IndexRegistry {
  private final Map<String, IndexConfig> indexes = new LinkedHashMap<>();
  private final String defaultIndex;
  private final Optional<String> uploadIndex;

  public IndexRegistry(WheelhouseConfig config) {
    for (IndexConfig index : config.indexes()) {
      indexes.put(index.name(), index);
    }
    this.defaultIndex = config.defaultIndex();
    this.uploadIndex = config.upload().targetIndex();
  }

  public String defaultIndex() {
    return defaultIndex;
  }

  public Optional<String> uploadIndex() {
    return uploadIndex;
  }

  public Optional<IndexConfig> find(String name) {
    return Optional.ofNullable(indexes.get(name));
  }

  public IndexConfig require(String name) {
    return find(name).orElseThrow(() -> HttpProblem.notFound("no index named '" + name + "'"));
  }

  public List<IndexConfig> all() {
    return List.copyOf(indexes.values());
  }

  /** Every index whose pages show the index {@code member}: itself and the groups above it. */
  public List<String> readersOf(String member) {
    List<String> out = new ArrayList<>();
    for (IndexConfig index : indexes.values()) {
      if (leavesOf(index.name()).stream().anyMatch(leaf -> leaf.name().equals(member))) {
        out.add(index.name());
      }
    }
    return out;
  }

  /**
   * The hosted and proxy indexes that answer for {@code project} through {@code name}, in lookup
   * order: a group contributes its members in order, or only the members its first matching route
   * names (e.g. {@code torch*} to the PyTorch index).
   */
  public List<IndexConfig> leaves(String name, ProjectName project) {
    Set<String> seen = new LinkedHashSet<>();
    List<IndexConfig> out = new ArrayList<>();
    collectLeaves(require(name), project, out, seen, new LinkedHashSet<>());
    return out;
  }

  /** Every hosted and proxy index under {@code name}, routes ignored, in member order. */
  public List<IndexConfig> leavesOf(String name) {
    List<IndexConfig> out = new ArrayList<>();
    collectAll(require(name), out, new LinkedHashSet<>());
    return out;
  }

  private void collectAll(IndexConfig index, List<IndexConfig> out, Set<String> visiting) {
    if (!visiting.add(index.name())) {
      return;
    }
    if (index.type() != IndexType.GROUP) {
      out.add(index);
      return;
    }
    for (String member : index.members()) {
      find(member).ifPresent(m -> collectAll(m, out, visiting));
    }
  }

  /** Whether pages of this index may come from an upstream, so that they need freshness checks. */
  public boolean involvesProxy(String name) {
    return involvesProxy(require(name), new LinkedHashSet<>());
  }

  private boolean involvesProxy(IndexConfig index, Set<String> visiting) {
    if (!visiting.add(index.name())) {
      return false;
    }
    return switch (index.type()) {
      case PROXY -> true;
      case HOSTED -> false;
      case GROUP ->
          index.members().stream()
              .map(this::find)
              .flatMap(Optional::stream)
              .anyMatch(m -> involvesProxy(m, visiting));
    };
  }

  private void collectLeaves(
      IndexConfig index,
      ProjectName project,
      List<IndexConfig> out,
      Set<String> seen,
      Set<String> visiting) {
    if (!visiting.add(index.name())) {
      return;
    }
    if (index.type() != IndexType.GROUP) {
      if (seen.add(index.name())) {
        out.add(index);
      }
      return;
    }
    List<String> members = index.members();
    for (Map.Entry<String, List<String>> route : index.routes().entrySet()) {
      if (new ProjectPattern(route.getKey()).matches(project.value())) {
        members = route.getValue();
        break;
      }
    }
    for (String member : members) {
      find(member).ifPresent(m -> collectLeaves(m, project, out, seen, visiting));
    }
  }
}
