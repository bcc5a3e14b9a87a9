package dev.wheelhouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the references between indexes, once all are bound: group members exist and form no cycle,
 * and {@code default-index} and {@code upload.index} name suitable indexes. Names declared by
 * entries that failed to bind count as existing, so one mistake is reported once.
 */
final class IndexReferences {
  private final IndexBinder.Result indexes;
  private final Map<String, IndexBinder.Entry> byName = new HashMap<>();

  IndexReferences(IndexBinder.Result indexes) {
    this.indexes = indexes;
    for (IndexBinder.Entry entry : indexes.entries()) {
      byName.putIfAbsent(entry.config().name(), entry);
    }
  }

  void checkGroups(Problems problems) {
    for (IndexBinder.Entry entry : indexes.entries()) {
      List<String> members = entry.config().members();
      for (int i = 0; i < members.size(); i++) {
        String member = members.get(i);
        if (!member.isEmpty() && !indexes.declaredNames().contains(member)) {
          problems.add(entry.memberPath(i), "unknown index '" + member + "'");
        }
      }
    }
    findCycles(problems);
  }

  /** {@code default-index} as given, or the first group, or else the first index. */
  String defaultIndex(Node node) {
    Optional<String> given = node.as(Scalars::nonBlank);
    if (given.isPresent()) {
      if (!indexes.declaredNames().contains(given.get())) {
        node.error("unknown index '" + given.get() + "'");
      }
      return given.get();
    }
    if (node.isPresent()) {
      return ""; // Reported by as().
    }
    Optional<IndexBinder.Entry> chosen =
        indexes.entries().stream()
            .filter(e -> e.config().type() == IndexType.GROUP)
            .findFirst()
            .or(() -> indexes.entries().stream().findFirst());
    if (indexes.listed() == 0) {
      node.error("no index is configured, so there is nothing to serve at /simple/");
    }
    return chosen.map(e -> e.config().name()).orElse("");
  }

  /** {@code upload.index} as given, or the first hosted index, or "" when there is none. */
  String uploadIndex(Node node) {
    Optional<String> given = node.as(Scalars::nonBlank);
    if (given.isEmpty()) {
      return indexes.entries().stream()
          .filter(e -> e.config().type() == IndexType.HOSTED)
          .map(e -> e.config().name())
          .findFirst()
          .orElse("");
    }
    String name = given.get();
    IndexBinder.Entry entry = byName.get(name);
    if (!indexes.declaredNames().contains(name)) {
      node.error("unknown index '" + name + "'");
    } else if (entry != null && entry.config().type() != IndexType.HOSTED) {
      node.error(
          "index '"
              + name
              + "' is a "
              + entry.config().type().name().toLowerCase(Locale.ROOT)
              + " index; uploads need a hosted index");
    }
    return name;
  }

  /** A list of hosted index names ({@code prune.hosted}); others are reported. */
  List<String> hostedIndexes(Node node) {
    List<String> names = new ArrayList<>();
    for (Node item : node.items()) {
      Optional<String> name = item.as(Scalars::nonBlank);
      if (name.isEmpty()) {
        continue;
      }
      IndexBinder.Entry entry = byName.get(name.get());
      if (!indexes.declaredNames().contains(name.get())) {
        item.error("unknown index '" + name.get() + "'");
      } else if (entry != null && entry.config().type() != IndexType.HOSTED) {
        item.error(
            "index '"
                + name.get()
                + "' is a "
                + entry.config().type().name().toLowerCase(Locale.ROOT)
                + " index; only hosted indexes are listed here (caches are always prunable)");
      }
      names.add(name.get());
    }
    return List.copyOf(names);
  }

  // Depth-first search over group membership; an edge back to a group on the current path closes a
  // cycle, reported once at that edge.
  private void findCycles(Problems problems) {
    Set<String> done = new HashSet<>();
    for (IndexBinder.Entry entry : indexes.entries()) {
      visit(entry, new ArrayList<>(), done, problems);
    }
  }

  private void visit(
      IndexBinder.Entry entry, List<String> path, Set<String> done, Problems problems) {
    String name = entry.config().name();
    if (done.contains(name)) {
      return;
    }
    path.add(name);
    List<String> members = entry.config().members();
    for (int i = 0; i < members.size(); i++) {
      String member = members.get(i);
      IndexBinder.Entry target = byName.get(member);
      if (target == null || member.equals(name)) {
        continue; // Unknown or self: reported elsewhere.
      }
      int start = path.indexOf(member);
      if (start >= 0) {
        List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
        cycle.add(member);
        problems.add(entry.memberPath(i), "group cycle " + String.join(" -> ", cycle));
      } else {
        visit(target, path, done, problems);
      }
    }
    path.remove(path.size() - 1);
    done.add(name);
  }
}
