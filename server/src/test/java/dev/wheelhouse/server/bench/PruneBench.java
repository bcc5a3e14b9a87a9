package dev.wheelhouse.server.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.wheelhouse.server.lifecycle.BlobLeases;
import dev.wheelhouse.server.lifecycle.GarbageCollector;
import dev.wheelhouse.server.lifecycle.GcReport;
import dev.wheelhouse.server.lifecycle.ProgressListener;
import dev.wheelhouse.server.lifecycle.PrunePolicy;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.Pruner;
import dev.wheelhouse.storage.ConsistencyCheck;
import dev.wheelhouse.storage.ConsistencyReport;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Times the storage lifecycle over a store filled by {@link StoreFiller}, in-process and in this
 * JVM's heap (run it with {@code -Xmx256m}): two dry-run prunes (everything evictable; and an LRU
 * cut at half the evictable bytes, which needs the histogram and the boundary bucket), a full
 * {@link ConsistencyCheck} and a dry-run garbage collection.
 *
 * <p>Usage: {@code PruneBench DATA_DIR}. Prints one row per phase: wall time, what it covered, the
 * peak heap in use (sampled every 5 ms, garbage included) and the largest heap left after a
 * collection during the phase (what the phase really holds).
 */
public final class PruneBench {
  private static final long MIB = 1 << 20;

  private PruneBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: PruneBench DATA_DIR");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    HeapWatch heap = new HeapWatch();
    List<String> rows = new ArrayList<>();
    heap.start();
    try (FileBlobStore blobs = FileBlobStore.open(data);
        MetadataStore meta =
            heap.measure(
                rows,
                "open metadata store",
                () -> MetadataStore.open(data.resolve("meta"), Clock.systemUTC()),
                store -> store.blobTotals().count() + " blob rows")) {
      Pruner pruner =
          new Pruner(
              meta,
              blobs,
              new BlobLeases(),
              Clock.systemUTC(),
              () -> data.toFile().getUsableSpace(),
              ref -> {});
      PruneReport all =
          heap.measure(
              rows,
              "prune dry run, maxSize 1",
              () -> pruner.run(policy(1), false, ProgressListener.NONE),
              PruneBench::describe);
      long half = all.bytesSelected() / 2;
      heap.measure(
          rows,
          "prune dry run, LRU cut at 1/2",
          () -> pruner.run(policy(half), false, ProgressListener.NONE),
          PruneBench::describe);
      ConsistencyReport check =
          heap.measure(
              rows,
              "ConsistencyCheck.run",
              () -> ConsistencyCheck.run(meta, blobs),
              r ->
                  String.format(
                      Locale.ROOT,
                      "%d files, %d blob rows; %s",
                      r.filesChecked(),
                      r.blobsChecked(),
                      r.consistent() && r.orphanBlobs().isEmpty() ? "consistent" : "PROBLEMS"));
      GarbageCollector gc =
          new GarbageCollector(
              meta, blobs, new BlobLeases(), Clock.systemUTC(), Duration.ofHours(1));
      heap.measure(
          rows,
          "gc dry run",
          () -> gc.run(false, ProgressListener.NONE),
          (GcReport r) -> r.blobsScanned() + " blobs, " + r.orphanBlobs() + " orphans");
      if (!check.consistent()) {
        System.err.println("store is not consistent: " + check);
      }
    } finally {
      heap.stop();
    }
    System.out.printf(
        Locale.ROOT,
        "%n%-32s %9s %13s %14s  %s%n",
        "phase",
        "seconds",
        "peak heap MiB",
        "after-GC MiB",
        "covered");
    rows.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "max heap %d MiB (-Xmx); %d collections, %d ms in them%n",
        Runtime.getRuntime().maxMemory() / MIB,
        heap.collections(),
        heap.collectionMillis());
  }

  private static PrunePolicy policy(long maxBytes) {
    return new PrunePolicy(
        OptionalLong.of(maxBytes),
        Optional.empty(),
        OptionalLong.empty(),
        List.of(),
        Set.of("pypi"));
  }

  private static String describe(PruneReport r) {
    return String.format(
        Locale.ROOT,
        "%d entries scanned, %d selected (%d MiB)",
        r.entriesScanned(),
        r.entriesSelected(),
        r.bytesSelected() / MIB);
  }

  @FunctionalInterface
  private interface Phase<T> {
    T run() throws Exception;
  }

  @FunctionalInterface
  private interface Describe<T> {
    String describe(T result);
  }

  /** Heap in use (sampled) and heap left after each collection, per phase. */
  private static final class HeapWatch {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong collectionMillis = new AtomicLong();
    private volatile boolean running = true;
    private final Thread sampler =
        new Thread(
            () -> {
              while (running) {
                sample();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");

    void start() {
      for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) bean)
            .addNotificationListener(
                (notification, handback) -> {
                  if (!notification
                      .getType()
                      .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                  }
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  collections.incrementAndGet();
                  collectionMillis.addAndGet(info.getGcInfo().getDuration());
                  if (info.getGcCause().equals("System.gc()")) {
                    return; // ours, between phases; its notification may come late
                  }
                  long after = 0;
                  for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    MemoryUsage usage =
                        info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (pool.getType() == MemoryType.HEAP && usage != null) {
                      after += usage.getUsed();
                    }
                  }
                  peakAfterGc.accumulateAndGet(after, Math::max);
                },
                null,
                null);
      }
      sampler.setDaemon(true);
      sampler.start();
    }

    void stop() {
      running = false;
      sampler.interrupt();
    }

    long collections() {
      return collections.get();
    }

    long collectionMillis() {
      return collectionMillis.get();
    }

    private void sample() {
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      peakUsed.accumulateAndGet(used, Math::max);
    }

    <T> T measure(List<String> rows, String name, Phase<T> phase, Describe<T> describe)
        throws Exception {
      System.gc(); // start each phase from its predecessor's live set, not its garbage
      peakUsed.set(0);
      peakAfterGc.set(0);
      System.out.printf(Locale.ROOT, "running: %s%n", name);
      long started = System.nanoTime();
      T result = phase.run();
      double seconds = (System.nanoTime() - started) / 1e9;
      sample();
      long afterGc = peakAfterGc.get();
      rows.add(
          String.format(
              Locale.ROOT,
              "%-32s %9.2f %13d %14s  %s",
              name,
              seconds,
              peakUsed.get() / MIB,
              afterGc == 0 ? "-" : Long.toString(afterGc / MIB),
              describe.describe(result)));
      return result;
    }
  }
}
