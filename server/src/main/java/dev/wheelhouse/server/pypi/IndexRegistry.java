package dev.wheelhouse.server.pypi;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.WheelhouseConfig;
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
      if (index.type() == IndexType.PROXY) {
        throw new IllegalArgumentException(
            "index '" + index.name() + "': proxy indexes are not supported by this version yet");
      }
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

  /** The hosted indexes an index reads from, in member order, each once. */
  public List<String> hostedMembers(String name) {
    Set<String> out = new LinkedHashSet<>();
    collectHosted(require(name), out, new LinkedHashSet<>());
    return new ArrayList<>(out);
  }

  /**
   * Every index whose pages show the hosted index {@code hosted}: itself and the groups above it.
   */
  public List<String> readersOf(String hosted) {
    List<String> out = new ArrayList<>();
    for (IndexConfig index : indexes.values()) {
      if (hostedMembers(index.name()).contains(hosted)) {
        out.add(index.name());
      }
    }
    return out;
  }

  private void collectHosted(IndexConfig index, Set<String> out, Set<String> visiting) {
    if (!visiting.add(index.name())) {
      return; // config validation rejects cycles; this only guards the walk
    }
    switch (index.type()) {
      case HOSTED -> out.add(index.name());
      case GROUP -> {
        for (String member : index.members()) {
          find(member).ifPresent(m -> collectHosted(m, out, visiting));
        }
      }
      case PROXY -> {}
    }
  }
}
