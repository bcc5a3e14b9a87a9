package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.StoredEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Adds up what the store holds per owner and kind, and finds its largest projects, in one streaming
 * pass over {@link MetadataStore#forEachEntry}.
 *
 * <p>Memory holds one total per owner and kind, and one per project (bounded by the number of
 * projects, not of files). It reads without locking anything, so it may run beside a prune and then
 * sees some of its deletions.
 */
public final class StoreStats {
  /** How many projects {@link StatsReport#largestProjects()} lists. */
  public static final int TOP_PROJECTS = 10;

  private static final Comparator<ProjectTotal> LARGEST_FIRST =
      Comparator.comparingLong(ProjectTotal::bytes)
          .reversed()
          .thenComparing(ProjectTotal::index)
          .thenComparing(ProjectTotal::project);

  private final MetadataStore meta;
  private final Function<EntryRef, String> kindOf;

  /**
   * Stats that label entries with {@code kindOf}, e.g. "hosted", "proxy", "apt package" or "apt
   * index".
   */
  public StoreStats(MetadataStore meta, Function<EntryRef, String> kindOf) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.kindOf = Objects.requireNonNull(kindOf, "kindOf");
  }

  /** Streams every entry once. Blocking. */
  public StatsReport compute() {
    long[] totals = new long[2]; // entries, bytes
    Map<OwnerKey, OwnerSum> owners = new TreeMap<>(OwnerKey.ORDER);
    Map<ProjectKey, long[]> projects = new HashMap<>();
    meta.forEachEntry(
        entry -> {
          totals[0]++;
          totals[1] += entry.size();
          String owner = entry.ref().owner();
          owners
              .computeIfAbsent(
                  new OwnerKey(owner, Objects.requireNonNull(kindOf.apply(entry.ref()), "kind")),
                  key -> new OwnerSum())
              .add(entry);
          long[] project =
              projects.computeIfAbsent(
                  new ProjectKey(owner, EntryNames.project(entry.ref())), key -> new long[2]);
          project[0]++;
          project[1] += entry.size();
        });
    List<OwnerTotal> ownerTotals = new ArrayList<>();
    owners.forEach(
        (key, sum) ->
            ownerTotals.add(
                new OwnerTotal(key.name(), key.kind(), sum.files, sum.bytes, sum.hits, sum.last)));
    return new StatsReport(totals[0], totals[1], ownerTotals, largest(projects));
  }

  /** The largest projects, through a heap of {@value #TOP_PROJECTS}: no sort of all projects. */
  private static List<ProjectTotal> largest(Map<ProjectKey, long[]> projects) {
    PriorityQueue<ProjectTotal> top = new PriorityQueue<>(LARGEST_FIRST.reversed());
    projects.forEach(
        (key, sums) -> {
          top.add(new ProjectTotal(key.index(), key.project(), sums[0], sums[1]));
          if (top.size() > TOP_PROJECTS) {
            top.poll();
          }
        });
    List<ProjectTotal> result = new ArrayList<>(top);
    result.sort(LARGEST_FIRST);
    return result;
  }

  private record OwnerKey(String name, String kind) {
    static final Comparator<OwnerKey> ORDER =
        Comparator.comparing(OwnerKey::name).thenComparing(OwnerKey::kind);
  }

  private record ProjectKey(String index, String project) {}

  /** Running totals of one owner and kind. */
  private static final class OwnerSum {
    long files;
    long bytes;
    long hits;
    Optional<Instant> last = Optional.empty();

    void add(StoredEntry entry) {
      files++;
      bytes += entry.size();
      hits += entry.hits();
      if (entry.lastAccess().isPresent()
          && (last.isEmpty() || entry.lastAccess().get().isAfter(last.get()))) {
        last = entry.lastAccess();
      }
    }
  }
}
