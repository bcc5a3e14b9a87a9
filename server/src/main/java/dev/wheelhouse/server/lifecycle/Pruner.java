package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Provenance;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import dev.wheelhouse.storage.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts entries by age, total size and free disk space, least recently used first, in memory
 * bounded whatever the size of the store.
 *
 * <p>A run streams {@link MetadataStore#forEachEntry} twice. Pass 1 adds the size of every
 * evictable entry not already due by age into a histogram of last use (one-minute buckets, made
 * coarser if there would be too many), which tells how many bytes to evict and in which bucket the
 * least-recently-used order crosses that amount. Pass 2 evicts every entry due by age or older than
 * that boundary bucket, and collects only the boundary bucket's entries to sort them by exact last
 * use, so the order is exact where it matters. A boundary bucket too large to collect is first
 * narrowed by extra passes with finer buckets; entries used at the very same instant go in stream
 * (key) order. Memory holds the histogram, one bounded bucket, per-project totals and the first
 * {@value #REPORT_LIMIT} evicted files of the report: never the store.
 *
 * <p>Deleting follows the storage rules: the entry's metadata first ({@link
 * MetadataStore#deleteEntry}), then each of its blobs that no other entry holds and no client is
 * downloading: blob row, then blob file. A crash in between leaves an unreferenced blob for the
 * {@link GarbageCollector}, never metadata pointing at a missing blob.
 *
 * <p>The decision uses the store as pass 1 saw it; entries added or used during a run are judged
 * with what the second pass sees, so limits hold approximately on a busy store and exactly on a
 * quiet one. Only one prune, garbage collection or verification runs at a time (see {@link
 * LifecycleLock}).
 */
public final class Pruner {
  private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

  /** Most projects and files a report lists. */
  public static final int REPORT_LIMIT = 1000;

  static final int DEFAULT_MAX_BUCKETS = 16_384;
  static final int DEFAULT_BOUNDARY_LIMIT = 50_000;
  private static final int PROGRESS_EVERY = 4096;
  private static final long MINUTE_NANOS = 60_000_000_000L;
  // Keys are nanoseconds since the epoch, clamped to about ±146 years so that sums cannot overflow.
  private static final long KEY_LIMIT_SECONDS = (1L << 62) / 1_000_000_000L;

  private static final String MAX_AGE = "max-age";
  private static final String MAX_SIZE = "max-size";
  private static final String MIN_FREE = "min-free";

  /** Least recently used first; ties in stream order, as eviction takes them. */
  private static final Comparator<Candidate> LRU =
      Comparator.<Candidate>comparingLong(c -> c.key).thenComparingLong(c -> c.seq);

  private static final Comparator<Ranked> RANKED_LRU =
      Comparator.<Ranked>comparingLong(r -> r.key).thenComparingLong(r -> r.seq);

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final BlobLeases leases;
  private final Clock clock;
  private final LongSupplier freeBytes;
  private final Consumer<EntryRef> onPruned;
  private final LifecycleLock lock;
  private final int maxBuckets;
  private final int boundaryLimit;
  private volatile Optional<PruneReport> lastReport = Optional.empty();

  /**
   * A pruner with its own lock: it excludes only other runs of itself. A server sharing one store
   * between pruner, garbage collector and verifier passes them one {@link LifecycleLock} instead.
   *
   * @param freeBytes free bytes of the data directory's file system, asked once per run
   * @param onPruned called after each entry's metadata is deleted, e.g. to drop cached pages
   */
  public Pruner(
      MetadataStore meta,
      BlobStore blobs,
      BlobLeases leases,
      Clock clock,
      LongSupplier freeBytes,
      Consumer<EntryRef> onPruned) {
    this(meta, blobs, leases, clock, freeBytes, onPruned, new LifecycleLock());
  }

  /** A pruner that runs only when {@code lock} is free. */
  public Pruner(
      MetadataStore meta,
      BlobStore blobs,
      BlobLeases leases,
      Clock clock,
      LongSupplier freeBytes,
      Consumer<EntryRef> onPruned,
      LifecycleLock lock) {
    this(
        meta,
        blobs,
        leases,
        clock,
        freeBytes,
        onPruned,
        lock,
        DEFAULT_MAX_BUCKETS,
        DEFAULT_BOUNDARY_LIMIT);
  }

  /** Tests shrink the histogram and the boundary bucket to exercise coarsening and narrowing. */
  Pruner(
      MetadataStore meta,
      BlobStore blobs,
      BlobLeases leases,
      Clock clock,
      LongSupplier freeBytes,
      Consumer<EntryRef> onPruned,
      LifecycleLock lock,
      int maxBuckets,
      int boundaryLimit) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.freeBytes = Objects.requireNonNull(freeBytes, "freeBytes");
    this.onPruned = Objects.requireNonNull(onPruned, "onPruned");
    this.lock = Objects.requireNonNull(lock, "lock");
    if (maxBuckets < 2 || boundaryLimit < 1) {
      throw new IllegalArgumentException("maxBuckets >= 2 and boundaryLimit >= 1 required");
    }
    this.maxBuckets = maxBuckets;
    this.boundaryLimit = boundaryLimit;
  }

  /**
   * Selects what {@code policy} evicts and, if {@code apply}, deletes it. Blocking; takes minutes
   * on a large store. A policy without limits or owners selects nothing and scans nothing.
   *
   * @throws IllegalStateException if a prune, garbage collection or verification is running
   */
  public PruneReport run(PrunePolicy policy, boolean apply, ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(progress, "progress");
    try (LifecycleLock.Held held = lock.acquire("prune")) {
      PruneReport report = new Run(policy, apply, progress).execute();
      lastReport = Optional.of(report);
      return report;
    }
  }

  /** The report of the last finished run, dry or applied. */
  public Optional<PruneReport> lastReport() {
    return lastReport;
  }

  /** Orders entries by last use: nanoseconds since the epoch, clamped. */
  static long key(Instant lastUsed) {
    long seconds =
        Math.max(-KEY_LIMIT_SECONDS, Math.min(KEY_LIMIT_SECONDS, lastUsed.getEpochSecond()));
    return seconds * 1_000_000_000L + lastUsed.getNano();
  }

  /** One run's state: counters and report material, bounded as the class comment says. */
  private final class Run {
    private final PrunePolicy policy;
    private final boolean apply;
    private final ProgressListener progress;
    private final Optional<Instant> ageCutoff;
    private final long startMillis;
    private final Map<ProjectKey, long[]> projects = new HashMap<>();
    // The newest of the oldest REPORT_LIMIT evicted files on top, so it is the one dropped.
    private final PriorityQueue<Ranked> firstFiles = new PriorityQueue<>(RANKED_LRU.reversed());
    private long scanned;
    private long selected;
    private long bytesSelected;
    private long blobsDeleted;
    private long bytesFreed;
    private long skippedInUse;

    Run(PrunePolicy policy, boolean apply, ProgressListener progress) {
      this.policy = policy;
      this.apply = apply;
      this.progress = progress;
      this.startMillis = clock.millis();
      Instant now = clock.instant();
      this.ageCutoff = policy.maxAge().map(now::minus);
    }

    PruneReport execute() throws IOException {
      if (policy.hasLimits() && !policy.owners().isEmpty()) {
        prune();
      }
      List<ProjectTotal> projectTotals =
          projects.entrySet().stream()
              .map(
                  e ->
                      new ProjectTotal(
                          e.getKey().index(),
                          e.getKey().project(),
                          e.getValue()[0],
                          e.getValue()[1]))
              .sorted(
                  Comparator.comparingLong(ProjectTotal::bytes)
                      .reversed()
                      .thenComparing(ProjectTotal::index)
                      .thenComparing(ProjectTotal::project))
              .limit(REPORT_LIMIT)
              .toList();
      List<Ranked> ranked = new ArrayList<>(firstFiles);
      ranked.sort(RANKED_LRU);
      List<SelectedFile> files = ranked.stream().map(Ranked::file).toList();
      PruneReport report =
          new PruneReport(
              apply,
              scanned,
              selected,
              bytesSelected,
              blobsDeleted,
              bytesFreed,
              skippedInUse,
              projectTotals,
              files,
              selected > files.size(),
              clock.millis() - startMillis,
              clock.instant());
      LOG.info(
          "Prune {}: {} of {} entries selected ({} bytes); {} blobs deleted ({} bytes freed),"
              + " {} left in use",
          apply ? "applied" : "dry run",
          selected,
          scanned,
          bytesSelected,
          blobsDeleted,
          bytesFreed,
          skippedInUse);
      return report;
    }

    private void prune() throws IOException {
      // Pass 1: how many bytes to evict, and where in LRU order that amount is reached.
      Histogram histogram = new Histogram(0, MINUTE_NANOS, maxBuckets);
      long[] bytes = new long[2]; // evictable and not due by age; due by age
      stream(
          entry -> {
            scanned++;
            tick("scan", scanned, -1);
            if (!policy.evictable(entry.ref())) {
              return;
            }
            if (dueByAge(entry)) {
              bytes[1] += entry.size();
            } else {
              bytes[0] += entry.size();
              histogram.add(key(entry.lastUsed()), entry.size());
            }
          });
      progress.progress("scan", scanned, scanned);

      long needForSize = 0;
      if (policy.maxBytes().isPresent()) {
        needForSize = Math.max(0, bytes[0] - policy.maxBytes().getAsLong());
      }
      long needForFree = 0;
      if (policy.minFreeBytes().isPresent()) {
        long missing = Math.max(0, policy.minFreeBytes().getAsLong() - freeBytes.getAsLong());
        // Entries due by age go anyway: count them as freed (an estimate: shared blobs stay).
        needForFree = Math.max(0, missing - bytes[1]);
      }
      // Two cuts in the same LRU order: what max-size needs, and what both limits need. Entries
      // up to the first are evicted for max-size, those between the two for min-free.
      Cut sizeCut = Cut.of(histogram, needForSize, bytes[0]);
      Cut allCut = needForFree > needForSize ? Cut.of(histogram, needForFree, bytes[0]) : sizeCut;
      narrow(sizeCut, allCut);
      select(sizeCut, allCut);
    }

    /** Extra passes until each boundary bucket is small enough to collect, or one instant. */
    private void narrow(Cut sizeCut, Cut allCut) throws IOException {
      while (true) {
        Set<Cut> coarse = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Cut cut : List.of(sizeCut, allCut)) {
          if (cut.needsNarrowing(boundaryLimit)) {
            coarse.add(cut);
          }
        }
        if (coarse.isEmpty()) {
          return;
        }
        for (Cut cut : coarse) {
          cut.startNarrowing(maxBuckets);
        }
        long[] seen = {0};
        stream(
            entry -> {
              seen[0]++;
              tick("narrow", seen[0], scanned);
              if (policy.evictable(entry.ref()) && !dueByAge(entry)) {
                long key = key(entry.lastUsed());
                for (Cut cut : coarse) {
                  cut.offer(key, entry.size());
                }
              }
            });
        progress.progress("narrow", seen[0], seen[0]);
        for (Cut cut : coarse) {
          cut.finishNarrowing();
        }
      }
    }

    /** Pass 2: evicts (or, in a dry run, counts) what the cuts and max-age select. */
    private void select(Cut sizeCut, Cut allCut) throws IOException {
      String phase = apply ? "prune" : "select";
      List<Candidate> pending = new ArrayList<>(); // boundary-bucket entries, bounded
      long[] seq = {0};
      stream(
          entry -> {
            long n = ++seq[0];
            tick(phase, n, scanned);
            if (!policy.evictable(entry.ref())) {
              return;
            }
            Candidate candidate = new Candidate(entry, key(entry.lastUsed()), n);
            if (dueByAge(entry)) {
              evict(candidate, MAX_AGE);
              return;
            }
            // Decide once per cut and entry: an exact boundary counts what it takes.
            Decision bySize = sizeCut.decide(candidate);
            Decision byAll = allCut == sizeCut ? bySize : allCut.decide(candidate);
            if (bySize == Decision.YES) {
              evict(candidate, MAX_SIZE);
            } else if (bySize == Decision.NO && byAll == Decision.YES) {
              evict(candidate, MIN_FREE);
            } else if (bySize == Decision.DEFER || byAll == Decision.DEFER) {
              candidate.bySize = bySize;
              candidate.byAll = byAll;
              pending.add(candidate);
            }
          });
      sizeCut.resolve();
      if (allCut != sizeCut) {
        allCut.resolve();
      }
      pending.sort(LRU);
      for (Candidate candidate : pending) {
        if (candidate.bySize == Decision.YES || sizeCut.chose(candidate)) {
          evict(candidate, MAX_SIZE);
        } else if (candidate.byAll == Decision.YES || allCut.chose(candidate)) {
          evict(candidate, MIN_FREE);
        }
      }
      progress.progress(phase, seq[0], seq[0]);
    }

    private void evict(Candidate candidate, String reason) throws IOException {
      StoredEntry entry = candidate.entry;
      selected++;
      bytesSelected += entry.size();
      String index = entry.ref().owner();
      String project = EntryNames.project(entry.ref());
      long[] total = projects.computeIfAbsent(new ProjectKey(index, project), k -> new long[2]);
      total[0]++;
      total[1] += entry.size();
      Ranked ranked =
          new Ranked(
              new SelectedFile(
                  index,
                  project,
                  EntryNames.name(entry.ref()),
                  entry.size(),
                  entry.lastUsed(),
                  reason),
              candidate.key,
              candidate.seq);
      firstFiles.add(ranked);
      if (firstFiles.size() > REPORT_LIMIT) {
        firstFiles.poll();
      }
      if (apply) {
        delete(entry);
      }
    }

    private void delete(StoredEntry entry) throws IOException {
      // Read before the entry goes: its provenance's build log is one more blob it holds.
      Optional<Sha256> buildLog =
          entry.ref() instanceof EntryRef.IndexFile file
              ? meta.getProvenance(file.index(), file.project(), file.filename())
                  .flatMap(Provenance::buildLog)
              : Optional.empty();
      if (!meta.deleteEntry(entry.ref())) {
        return; // deleted meanwhile (e.g. by an admin), who took care of its blobs
      }
      try {
        onPruned.accept(entry.ref());
      } catch (RuntimeException e) {
        // A stale cached page is no reason to stop pruning: it expires on its own.
        LOG.warn("Invalidating caches after pruning {} failed: {}", entry.ref(), e.toString());
      }
      Set<Sha256> held = new LinkedHashSet<>();
      held.add(entry.sha256());
      entry.extraBlob().ifPresent(held::add);
      buildLog.ifPresent(held::add);
      for (Sha256 blob : held) {
        release(blob);
      }
    }

    /** Deletes a blob the pruned entry held unless something else still needs it. */
    private void release(Sha256 blob) throws IOException {
      if (meta.isReferenced(blob)) {
        return; // another entry, maybe of a hosted index, holds the same bytes
      }
      if (leases.isLeased(blob)) {
        skippedInUse++; // a client is downloading it; the garbage collector takes it later
        return;
      }
      Optional<BlobRecord> row = meta.getBlob(blob);
      long size = blobs.get(blob).map(StoredBlob::size).orElse(0L);
      meta.deleteBlob(blob); // row first: a crash now leaves an orphan file, not a dangling row
      if (blobs.deleteUnlessRecommitted(blob)) {
        blobsDeleted++;
        bytesFreed += size;
      } else {
        // Another writer has just stored the same bytes and is about to record them: keep both.
        row.ifPresent(meta::putBlob);
        skippedInUse++;
      }
    }

    private boolean dueByAge(StoredEntry entry) {
      return ageCutoff.isPresent() && entry.lastUsed().isBefore(ageCutoff.get());
    }

    private void tick(String phase, long done, long total) {
      if (done % PROGRESS_EVERY == 0) {
        progress.progress(phase, done, total);
      }
    }
  }

  /** Streams every entry; IOExceptions of the action cross the store's consumer unchecked. */
  private void stream(EntryAction action) throws IOException {
    try {
      meta.forEachEntry(
          entry -> {
            try {
              action.accept(entry);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @FunctionalInterface
  private interface EntryAction {
    void accept(StoredEntry entry) throws IOException;
  }

  private enum Decision {
    YES,
    NO,
    DEFER
  }

  private record ProjectKey(String index, String project) {}

  /** A selected file with its place in LRU order. */
  private record Ranked(SelectedFile file, long key, long seq) {}

  /** An evictable entry seen by pass 2, with its place in LRU order. */
  private static final class Candidate {
    final StoredEntry entry;
    final long key;
    final long seq;
    Decision bySize = Decision.NO;
    Decision byAll = Decision.NO;

    Candidate(StoredEntry entry, long key, long seq) {
      this.entry = entry;
      this.key = key;
      this.seq = seq;
    }
  }

  /**
   * Where LRU eviction of {@code need} bytes stops: entries with keys below {@code lo} go, from
   * {@code hi} on stay, and of the boundary [lo, hi) the least recently used go until {@code
   * needInBoundary} bytes are taken.
   */
  private static final class Cut {
    private final long need;
    private final boolean none;
    private final boolean all;
    private long lo;
    private long hi;
    private long bytesBefore;
    private long needInBoundary;
    private long boundaryCount;
    private Histogram narrowing;
    private long taken;
    private final List<Candidate> deferred = new ArrayList<>();
    private final Set<Candidate> chosen = Collections.newSetFromMap(new IdentityHashMap<>());

    private Cut(long need, boolean none, boolean all) {
      this.need = need;
      this.none = none;
      this.all = all;
    }

    static Cut of(Histogram histogram, long need, long total) {
      if (need <= 0) {
        return new Cut(need, true, false);
      }
      if (need >= total) {
        return new Cut(need, false, true);
      }
      Cut cut = new Cut(need, false, false);
      cut.locate(histogram, 0, Long.MAX_VALUE);
      return cut;
    }

    /** Finds the first bucket at which the bytes before it plus its own reach {@code need}. */
    private void locate(Histogram histogram, long before, long end) {
      long sum = before;
      for (Map.Entry<Long, long[]> bucket : histogram.buckets.entrySet()) {
        long bytes = bucket.getValue()[0];
        if (sum + bytes >= need) {
          lo = histogram.start(bucket.getKey());
          hi = Math.min(end, lo + histogram.width);
          bytesBefore = sum;
          needInBoundary = need - sum;
          boundaryCount = bucket.getValue()[1];
          return;
        }
        sum += bytes;
      }
      // Entries went between passes: all that is left below the end goes.
      lo = end;
      hi = end;
      bytesBefore = sum;
      needInBoundary = 0;
      boundaryCount = 0;
    }

    boolean needsNarrowing(int boundaryLimit) {
      return !none && !all && boundaryCount > boundaryLimit && hi - lo > 1;
    }

    void startNarrowing(int maxBuckets) {
      long width = Math.max(1, (hi - lo + maxBuckets - 1) / maxBuckets);
      narrowing = new Histogram(lo, width, maxBuckets);
    }

    void offer(long key, long size) {
      if (key >= lo && key < hi) {
        narrowing.add(key, size);
      }
    }

    void finishNarrowing() {
      locate(narrowing, bytesBefore, hi);
      narrowing = null;
    }

    /** Whether {@code candidate} goes; called once per entry, in stream order. */
    Decision decide(Candidate candidate) {
      if (none) {
        return Decision.NO;
      }
      if (all || candidate.key < lo) {
        return Decision.YES;
      }
      if (candidate.key >= hi) {
        return Decision.NO;
      }
      if (hi - lo <= 1) {
        // One instant: ties go in stream order, so no need to collect anything.
        if (taken < needInBoundary) {
          taken += candidate.entry.size();
          return Decision.YES;
        }
        return Decision.NO;
      }
      deferred.add(candidate);
      return Decision.DEFER;
    }

    /** After pass 2: the least recently used of the boundary bucket, up to the bytes needed. */
    void resolve() {
      deferred.sort(LRU);
      long sum = 0;
      for (Candidate candidate : deferred) {
        if (sum >= needInBoundary) {
          break;
        }
        chosen.add(candidate);
        sum += candidate.entry.size();
      }
      deferred.clear();
    }

    boolean chose(Candidate candidate) {
      return chosen.contains(candidate);
    }
  }

  /**
   * Bytes and entries per bucket of keys, {@code width} wide from {@code origin}; doubles the width
   * whenever there would be more than {@code maxBuckets} buckets, so its size stays bounded.
   */
  private static final class Histogram {
    final long origin;
    final int maxBuckets;
    final TreeMap<Long, long[]> buckets = new TreeMap<>();
    long width;

    Histogram(long origin, long width, int maxBuckets) {
      this.origin = origin;
      this.width = width;
      this.maxBuckets = maxBuckets;
    }

    void add(long key, long size) {
      long[] bucket =
          buckets.computeIfAbsent(Math.floorDiv(key - origin, width), index -> new long[2]);
      bucket[0] += size;
      bucket[1]++;
      while (buckets.size() > maxBuckets) {
        coarsen();
      }
    }

    long start(long index) {
      return origin + index * width;
    }

    // floorDiv(floorDiv(k, w), 2) == floorDiv(k, 2w): merged buckets stay aligned.
    private void coarsen() {
      TreeMap<Long, long[]> merged = new TreeMap<>();
      for (Map.Entry<Long, long[]> bucket : buckets.entrySet()) {
        merged.merge(
            Math.floorDiv(bucket.getKey(), 2L),
            bucket.getValue(),
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
      buckets.clear();
      buckets.putAll(merged);
      width *= 2;
    }
  }
}
