package dev.wheelhouse.server.lifecycle;

import static dev.wheelhouse.server.lifecycle.LifecycleStore.START;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many generated entries (rows sharing a few small blobs): the pruner's choice matches a plain sort
 * of everything, whatever its histogram and boundary sizes.
 */
class PrunerScaleTest {
  static final Instant T = START.minus(Duration.ofDays(1));
  static final int[] SIZES = {100, 250, 400, 1000};

  @TempDir Path dir;
  LifecycleStore store;
  final List<Sha256> shared = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    store = new LifecycleStore(dir);
    for (int size : SIZES) {
      Sha256 sha = store.commit(content("shared " + size, size));
      shared.add(sha);
      // A hosted file holds every shared blob, so pruning proxies must never delete one.
      store.meta.putFile(
          LifecycleStore.record(
              "local", "keeper", "keeper-" + size + ".tar.gz", sha, size, T, null),
          "keeper");
    }
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  /** A proxied file row holding shared blob {@code i % 4}. */
  void row(String index, String project, String filename, int i, Instant uploaded) {
    int b = i % SIZES.length;
    store.meta.putFile(
        LifecycleStore.record(index, project, filename, shared.get(b), SIZES[b], uploaded, null),
        project);
  }

  void aptRow(String mirror, String path, int i, Instant fetched) {
    int b = i % SIZES.length;
    store.meta.putAptFile(
        new AptFileRecord(
            mirror,
            path,
            shared.get(b),
            SIZES[b],
            fetched,
            fetched,
            Optional.empty(),
            Optional.empty()));
  }

  static PrunePolicy maxBytes(long bytes) {
    return new PrunePolicy(
        OptionalLong.of(bytes),
        Optional.empty(),
        OptionalLong.empty(),
        List.of(),
        Set.of("pypi", "debian"));
  }

  /** What the pruner must evict: the evictable entries sorted by last use (ties in key order). */
  List<StoredEntry> expectedEviction(long maxBytes) {
    List<StoredEntry> evictable = new ArrayList<>();
    store.meta.forEachEntry(
        entry -> {
          if (!entry.ref().owner().equals("local")) {
            evictable.add(entry);
          }
        });
    long need = evictable.stream().mapToLong(StoredEntry::size).sum() - maxBytes;
    evictable.sort(Comparator.comparing(StoredEntry::lastUsed)); // stable: ties keep key order
    List<StoredEntry> evicted = new ArrayList<>();
    long taken = 0;
    for (StoredEntry entry : evictable) {
      if (taken >= need) {
        break;
      }
      evicted.add(entry);
      taken += entry.size();
    }
    return evicted;
  }

  static String name(SelectedFile file) {
    return file.index().equals("debian")
        ? new EntryRef.AptFile(file.index(), file.name()).toString()
        : new EntryRef.IndexFile(file.index(), file.project(), file.name()).toString();
  }

  Pruner pruner(int maxBuckets, int boundaryLimit) {
    return new Pruner(
        store.meta,
        store.blobs,
        new BlobLeases(),
        store.clock,
        () -> Long.MAX_VALUE,
        ref -> {},
        new LifecycleLock(),
        maxBuckets,
        boundaryLimit);
  }

  @Test
  void choosesWhatAFullSortChoosesWhateverTheBucketSizes() throws IOException {
    Map<EntryRef, AccessCounts> accesses = new HashMap<>();
    for (int i = 0; i < 1500; i++) {
      // 900 distinct seconds over 15 minutes: many ties, several per bucket.
      Instant uploaded = T.plusSeconds((i * 7919L) % 900);
      String project = "p" + (i % 37);
      String filename = project + "-" + i + ".tar.gz";
      if (i % 10 == 3) {
        aptRow(
            "debian",
            "pool/main/" + project.charAt(0) + "/" + project + "/" + i + ".deb",
            i,
            uploaded);
      } else {
        row("pypi", project, filename, i, uploaded);
        if (i % 5 == 0) {
          accesses.put(
              new EntryRef.IndexFile("pypi", project, filename),
              new AccessCounts(T.plusSeconds((i * 31L) % 1200).plusMillis(i % 7), 1));
        }
      }
    }
    store.meta.recordAccesses(accesses);
    long maxBytes = 400_000;
    List<StoredEntry> expected = expectedEviction(maxBytes);
    List<String> expectedNames = expected.stream().map(e -> e.ref().toString()).toList();
    long expectedBytes = expected.stream().mapToLong(StoredEntry::size).sum();
    assertThat(expected).hasSizeBetween(100, 999);

    for (int[] knobs : new int[][] {{16_384, 50_000}, {4, 10}, {2, 1}, {3, 200}}) {
      PruneReport dry =
          pruner(knobs[0], knobs[1]).run(maxBytes(maxBytes), false, ProgressListener.NONE);
      assertThat(dry.files())
          .extracting(PrunerScaleTest::name)
          .as("knobs %s", knobs[0] + "/" + knobs[1])
          .isEqualTo(expectedNames);
      assertThat(dry.bytesSelected()).isEqualTo(expectedBytes);
    }

    Set<String> remaining = new TreeSet<>(store.names());
    expectedNames.forEach(remaining::remove);
    PruneReport applied = pruner(2, 1).run(maxBytes(maxBytes), true, ProgressListener.NONE);
    assertThat(applied.entriesSelected()).isEqualTo(expected.size());
    assertThat(store.names()).isEqualTo(remaining);
    assertThat(applied.blobsDeleted()).isZero();
    store.assertConsistent();
  }

  @Test
  void twentyThousandEntries() throws IOException {
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Instant uploaded = T.plusSeconds((i * 7919L) % 20_000).plusNanos(i % 1000);
      String project = "p" + (i % 997);
      if (i % 10 == 0) {
        aptRow(
            "debian",
            "pool/main/" + project.charAt(0) + "/" + project + "/" + i + ".deb",
            i,
            uploaded);
      } else {
        row("pypi", project, project + "-" + i + ".tar.gz", i, uploaded);
      }
    }
    long evictableBytes = 0;
    for (int i = 0; i < n; i++) {
      evictableBytes += SIZES[i % SIZES.length];
    }
    long maxBytes = evictableBytes - evictableBytes / 10;
    List<StoredEntry> expected = expectedEviction(maxBytes);
    long expectedBytes = expected.stream().mapToLong(StoredEntry::size).sum();
    List<String> firstNames =
        expected.stream().limit(Pruner.REPORT_LIMIT).map(e -> e.ref().toString()).toList();

    PruneReport report =
        new Pruner(
                store.meta,
                store.blobs,
                new BlobLeases(),
                store.clock,
                () -> Long.MAX_VALUE,
                ref -> {})
            .run(maxBytes(maxBytes), true, ProgressListener.NONE);

    assertThat(report.entriesScanned()).isEqualTo(n + SIZES.length);
    assertThat(report.entriesSelected()).isEqualTo(expected.size());
    assertThat(report.bytesSelected())
        .isEqualTo(expectedBytes)
        .isGreaterThanOrEqualTo(evictableBytes / 10);
    assertThat(report.files()).extracting(PrunerScaleTest::name).isEqualTo(firstNames);
    assertThat(report.filesTruncated()).isTrue();
    assertThat(report.projects()).hasSizeLessThanOrEqualTo(Pruner.REPORT_LIMIT);
    assertThat(report.projects())
        .isSortedAccordingTo(Comparator.comparingLong(ProjectTotal::bytes).reversed());
    assertThat(report.blobsDeleted()).as("the hosted keeper holds every blob").isZero();
    long[] left = new long[2];
    store.meta.forEachEntry(
        entry -> {
          left[0]++;
          if (!entry.ref().owner().equals("local")) {
            left[1] += entry.size();
          }
        });
    assertThat(left[0]).isEqualTo(n + SIZES.length - expected.size());
    assertThat(left[1]).isLessThanOrEqualTo(maxBytes);
    store.assertConsistent();
  }
}
