package dev.wheelhouse.server.lifecycle;

import static dev.wheelhouse.server.lifecycle.LifecycleStore.START;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.content;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eviction order, limits, keep-lists, owners, shared and leased blobs, dry runs. */
class PrunerTest {
  /** A minute boundary well before START: the histogram's buckets are minutes. */
  static final Instant T = START.minus(Duration.ofHours(5));

  @TempDir Path dir;
  LifecycleStore store;
  final BlobLeases leases = new BlobLeases();
  final List<EntryRef> pruned = new ArrayList<>();
  long free = Long.MAX_VALUE;

  @BeforeEach
  void open() throws IOException {
    store = new LifecycleStore(dir);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  Pruner pruner() {
    return new Pruner(store.meta, store.blobs, leases, store.clock, () -> free, pruned::add);
  }

  /** Tiny histograms and boundary buckets: exercises coarsening and narrowing passes. */
  Pruner tinyPruner() {
    return new Pruner(
        store.meta,
        store.blobs,
        leases,
        store.clock,
        () -> free,
        pruned::add,
        new LifecycleLock(),
        2,
        1);
  }

  static PrunePolicy maxBytes(long bytes, String... owners) {
    return new PrunePolicy(
        OptionalLong.of(bytes), Optional.empty(), OptionalLong.empty(), List.of(), Set.of(owners));
  }

  static PrunePolicy maxAge(Duration age, List<String> keep, String... owners) {
    return new PrunePolicy(
        OptionalLong.empty(),
        Optional.of(age),
        OptionalLong.empty(),
        keep.stream().map(ProjectPattern::new).toList(),
        Set.of(owners));
  }

  /**
   * Six proxied files of 100 bytes; in LRU order a, y, z, x, e, f, where y, z and x share one
   * minute and come in the opposite order by key (x, y, z).
   */
  void lruScenario() {
    FileRecord a = store.file("pypi", "alpha", "a-1.0.tar.gz", 100, T.minus(Duration.ofHours(1)));
    FileRecord x = store.file("pypi", "mid", "x-1.0.tar.gz", 100, T.minus(Duration.ofHours(2)));
    store.used(ref(x), T.plusSeconds(50));
    store.file("pypi", "mid", "y-1.0.tar.gz", 100, T.plusSeconds(5));
    FileRecord z = store.file("pypi", "mid", "z-1.0.tar.gz", 100, T.minus(Duration.ofHours(3)));
    store.used(ref(z), T.plusSeconds(10));
    store.file("pypi", "late", "e-1.0.tar.gz", 100, T.plus(Duration.ofMinutes(2)));
    store.file("pypi", "late", "f-1.0.tar.gz", 100, T.plus(Duration.ofHours(3)));
    assertThat(a).isNotNull();
  }

  @Test
  void evictsLeastRecentlyUsedFirstExactlyInsideABucket() throws IOException {
    lruScenario();
    assertLruEviction(pruner());
  }

  @Test
  void narrowingPassesGiveTheSameOrder() throws IOException {
    lruScenario();
    assertLruEviction(tinyPruner());
  }

  private void assertLruEviction(Pruner pruner) throws IOException {
    Set<String> blobsBefore = store.blobFiles();

    PruneReport report = pruner.run(maxBytes(300, "pypi"), true, ProgressListener.NONE);

    assertThat(report.applied()).isTrue();
    assertThat(report.entriesScanned()).isEqualTo(6);
    assertThat(report.entriesSelected()).isEqualTo(3);
    assertThat(report.bytesSelected()).isEqualTo(300);
    assertThat(report.files())
        .extracting(SelectedFile::name, SelectedFile::reason)
        .containsExactly(
            tuple("a-1.0.tar.gz", "max-size"),
            tuple("y-1.0.tar.gz", "max-size"),
            tuple("z-1.0.tar.gz", "max-size"));
    assertThat(report.files().get(1).lastUsed()).isEqualTo(T.plusSeconds(5));
    assertThat(report.filesTruncated()).isFalse();
    assertThat(report.blobsDeleted()).isEqualTo(3);
    assertThat(report.bytesFreed()).isEqualTo(300);
    assertThat(report.skippedInUse()).isZero();
    assertThat(report.projects())
        .containsExactly(
            new ProjectTotal("pypi", "mid", 2, 200), new ProjectTotal("pypi", "alpha", 1, 100));
    assertThat(store.names())
        .containsExactly(
            "pypi/late/e-1.0.tar.gz", "pypi/late/f-1.0.tar.gz", "pypi/mid/x-1.0.tar.gz");
    assertThat(pruned)
        .containsExactlyInAnyOrder(
            new EntryRef.IndexFile("pypi", "alpha", "a-1.0.tar.gz"),
            new EntryRef.IndexFile("pypi", "mid", "y-1.0.tar.gz"),
            new EntryRef.IndexFile("pypi", "mid", "z-1.0.tar.gz"));
    assertThat(store.blobFiles()).hasSize(blobsBefore.size() - 3);
    assertThat(store.blobRows()).hasSize(3);
    store.assertConsistent();
  }

  @Test
  void entriesUsedAtTheSameInstantGoInKeyOrder() throws IOException {
    for (int i = 1; i <= 4; i++) {
      store.file("pypi", "tie", "tie-" + i + ".tar.gz", 100, T.plusSeconds(7));
    }
    PruneReport dry = pruner().run(maxBytes(200, "pypi"), false, ProgressListener.NONE);
    PruneReport applied = tinyPruner().run(maxBytes(200, "pypi"), true, ProgressListener.NONE);

    assertThat(dry.files())
        .extracting(SelectedFile::name)
        .containsExactly("tie-1.tar.gz", "tie-2.tar.gz");
    assertThat(applied.files()).isEqualTo(dry.files());
    assertThat(store.names()).containsExactly("pypi/tie/tie-3.tar.gz", "pypi/tie/tie-4.tar.gz");
  }

  @Test
  void maxAgeEvictsWhatWasNotUsedForLonger() throws IOException {
    store.file("pypi", "old", "old-1.0.tar.gz", 100, START.minus(Duration.ofDays(10)));
    FileRecord usedLately =
        store.file("pypi", "used", "used-1.0.tar.gz", 100, START.minus(Duration.ofDays(10)));
    store.used(ref(usedLately), START.minus(Duration.ofDays(1)));
    store.file("pypi", "new", "new-1.0.tar.gz", 100, START.minus(Duration.ofDays(1)));
    AptFileRecord deb =
        store.apt(
            "debian", "pool/main/h/hello/hello_1.0_amd64.deb", 50, START.minus(Duration.ofDays(8)));

    PruneReport report =
        pruner()
            .run(
                maxAge(Duration.ofDays(7), List.of(), "pypi", "debian"),
                true,
                ProgressListener.NONE);

    assertThat(report.files())
        .extracting(SelectedFile::name, SelectedFile::reason)
        .containsExactly(tuple("old-1.0.tar.gz", "max-age"), tuple(deb.path(), "max-age"));
    assertThat(report.projects())
        .containsExactly(
            new ProjectTotal("pypi", "old", 1, 100), new ProjectTotal("debian", "hello", 1, 50));
    assertThat(store.names())
        .containsExactly("pypi/new/new-1.0.tar.gz", "pypi/used/used-1.0.tar.gz");
    store.assertConsistent();
  }

  @Test
  void keptProjectsAndAptPackagesSurvive() throws IOException {
    Instant old = START.minus(Duration.ofDays(30));
    store.file("pypi", "torch", "torch-2.0-cp312-none-any.whl", 100, old);
    store.file("pypi", "torchvision", "torchvision-0.1.tar.gz", 100, old);
    store.file("pypi", "numpy", "numpy-2.0.tar.gz", 100, old);
    store.apt("debian", "pool/main/h/hello/hello_1.0_amd64.deb", 100, old);
    store.apt("debian", "pool/main/c/curl/curl_8.0_amd64.deb", 100, old);
    store.apt("debian", "dists/stable/InRelease", 100, old);

    PruneReport report =
        pruner()
            .run(
                maxAge(Duration.ofDays(7), List.of("Torch*", "hello"), "pypi", "debian"),
                true,
                ProgressListener.NONE);

    assertThat(report.entriesSelected()).isEqualTo(3);
    assertThat(store.names())
        .containsExactly(
            "apt/debian/pool/main/h/hello/hello_1.0_amd64.deb",
            "pypi/torch/torch-2.0-cp312-none-any.whl",
            "pypi/torchvision/torchvision-0.1.tar.gz");
    store.assertConsistent();
  }

  @Test
  void entriesOfOtherOwnersAreNeverTouched() throws IOException {
    store.file("local", "mine", "mine-1.0.tar.gz", 100, START.minus(Duration.ofDays(400)));
    store.file("pypi", "theirs", "theirs-1.0.tar.gz", 100, START.minus(Duration.ofDays(1)));

    PruneReport report = pruner().run(maxBytes(0, "pypi"), true, ProgressListener.NONE);

    assertThat(report.entriesScanned()).isEqualTo(2);
    assertThat(report.entriesSelected()).isEqualTo(1);
    assertThat(store.names()).containsExactly("local/mine/mine-1.0.tar.gz");
  }

  @Test
  void aBlobSharedWithAHostedFileSurvives() throws IOException {
    byte[] bytes = content("shared wheel", 300);
    byte[] metadata = content("shared METADATA", 40);
    FileRecord hosted =
        store.wheel("local", "shared", "shared-1.0-py3-none-any.whl", bytes, metadata, START);
    store.wheel("pypi", "shared", "shared-1.0-py3-none-any.whl", bytes, metadata, START);

    PruneReport report = pruner().run(maxBytes(0, "pypi"), true, ProgressListener.NONE);

    assertThat(report.entriesSelected()).isEqualTo(1);
    assertThat(report.blobsDeleted()).isZero();
    assertThat(report.bytesFreed()).isZero();
    assertThat(store.names()).containsExactly("local/shared/shared-1.0-py3-none-any.whl");
    assertThat(store.blobs.contains(hosted.sha256())).isTrue();
    assertThat(store.blobs.contains(hosted.coreMetadata().orElseThrow())).isTrue();
    assertThat(store.meta.getBlob(hosted.sha256())).isPresent();
    store.assertConsistent();
  }

  @Test
  void bytesStoredAgainByAWriterNotYetRecordedSurviveThePruneOfTheirOldEntry() throws IOException {
    byte[] bytes = content("racing sdist", 300);
    store.file("pypi", "racing", "racing-1.0.tar.gz", bytes, START);
    // A second writer (an upload of the same bytes) has committed them, not yet recorded them.
    Sha256 again = store.commit(bytes);

    PruneReport report = pruner().run(maxBytes(0, "pypi"), true, ProgressListener.NONE);

    assertThat(report.entriesSelected()).isEqualTo(1);
    assertThat(report.blobsDeleted()).isZero();
    assertThat(store.blobs.contains(again)).isTrue();
    assertThat(store.meta.getBlob(again)).isPresent();
    store.meta.putFile(
        LifecycleStore.record(
            "local", "racing", "racing-1.0.tar.gz", again, bytes.length, START, null),
        "racing");
    store.assertConsistent();
  }

  @Test
  void aWheelsMetadataBlobGoesWithIt() throws IOException {
    FileRecord wheel =
        store.wheel(
            "pypi",
            "solo",
            "solo-1.0-py3-none-any.whl",
            content("solo wheel", 300),
            content("solo METADATA", 40),
            START);

    PruneReport report = pruner().run(maxBytes(0, "pypi"), true, ProgressListener.NONE);

    assertThat(report.blobsDeleted()).isEqualTo(2);
    assertThat(report.bytesFreed()).isEqualTo(340);
    assertThat(store.blobs.contains(wheel.sha256())).isFalse();
    assertThat(store.blobs.contains(wheel.coreMetadata().orElseThrow())).isFalse();
    assertThat(store.blobRows()).isEmpty();
    store.assertConsistent();
  }

  @Test
  void aLeasedBlobStaysWhileItsEntryGoesAndGarbageCollectionTakesItLater() throws IOException {
    FileRecord file = store.file("pypi", "busy", "busy-1.0.tar.gz", 100, START);
    PruneReport report;
    try (BlobLeases.Lease lease = leases.acquire(file.sha256())) {
      report = pruner().run(maxBytes(0, "pypi"), true, ProgressListener.NONE);
      assertThat(store.blobs.contains(file.sha256())).as("still being downloaded").isTrue();
      assertThat(lease).isNotNull();
    }

    assertThat(report.entriesSelected()).isEqualTo(1);
    assertThat(report.skippedInUse()).isEqualTo(1);
    assertThat(report.blobsDeleted()).isZero();
    assertThat(store.names()).isEmpty();
    store.assertConsistent();

    store.clock.advance(Duration.ofHours(2));
    store.setFileTime(file.sha256(), START);
    GcReport gc =
        new GarbageCollector(store.meta, store.blobs, leases, store.clock, Duration.ofHours(1))
            .run(true, ProgressListener.NONE);
    assertThat(gc.removedBlobs()).isEqualTo(1);
    assertThat(store.blobs.contains(file.sha256())).isFalse();
    assertThat(store.meta.getBlob(file.sha256())).isEmpty();
  }

  @Test
  void minFreeEvictsUntilTheDiskHasEnoughRoom() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.file(
          "pypi", "p" + i, "p" + i + "-1.0.tar.gz", 100, T.plus(Duration.ofMinutes(10L * i)));
    }
    free = 1000;
    PrunePolicy policy =
        new PrunePolicy(
            OptionalLong.empty(),
            Optional.empty(),
            OptionalLong.of(1250),
            List.of(),
            Set.of("pypi"));

    PruneReport report = pruner().run(policy, true, ProgressListener.NONE);

    assertThat(report.files())
        .extracting(SelectedFile::name, SelectedFile::reason)
        .containsExactly(
            tuple("p0-1.0.tar.gz", "min-free"),
            tuple("p1-1.0.tar.gz", "min-free"),
            tuple("p2-1.0.tar.gz", "min-free"));
    assertThat(report.bytesFreed()).isEqualTo(300);
    assertThat(store.names()).containsExactly("pypi/p3/p3-1.0.tar.gz", "pypi/p4/p4-1.0.tar.gz");
  }

  @Test
  void reasonsFollowWhichLimitNeededTheEntry() throws IOException {
    // p0 is due by age; of the rest, max-size needs one more, min-free two more.
    for (int i = 0; i < 6; i++) {
      store.file(
          "pypi", "p" + i, "p" + i + "-1.0.tar.gz", 100, START.minus(Duration.ofHours(10 - i)));
    }
    free = 1000;
    PrunePolicy policy =
        new PrunePolicy(
            OptionalLong.of(400),
            Optional.of(Duration.ofMinutes(570)),
            OptionalLong.of(1400),
            List.of(),
            Set.of("pypi"));

    PruneReport report = tinyPruner().run(policy, false, ProgressListener.NONE);

    assertThat(report.files())
        .extracting(SelectedFile::name, SelectedFile::reason)
        .containsExactly(
            tuple("p0-1.0.tar.gz", "max-age"),
            tuple("p1-1.0.tar.gz", "max-size"),
            tuple("p2-1.0.tar.gz", "min-free"),
            tuple("p3-1.0.tar.gz", "min-free"));
    PruneReport sameWithDefaults = pruner().run(policy, false, ProgressListener.NONE);
    assertThat(sameWithDefaults.files()).isEqualTo(report.files());
  }

  @Test
  void aDryRunChangesNothing() throws IOException {
    lruScenario();
    store.wheel(
        "pypi", "w", "w-1.0-py3-none-any.whl", content("w", 120), content("w METADATA", 30), T);
    store.apt("debian", "pool/main/h/hello/hello_1.0_amd64.deb", 70, T);
    List<StoredEntry> entriesBefore = store.entries();
    List<BlobRecord> rowsBefore = store.blobRows();
    Set<String> filesBefore = store.blobFiles();

    PruneReport report = pruner().run(maxBytes(0, "pypi", "debian"), false, ProgressListener.NONE);

    assertThat(report.applied()).isFalse();
    assertThat(report.entriesSelected()).isEqualTo(8);
    assertThat(report.bytesSelected()).isEqualTo(600 + 120 + 70);
    assertThat(report.blobsDeleted()).isZero();
    assertThat(report.bytesFreed()).isZero();
    assertThat(pruned).isEmpty();
    assertThat(store.entries()).isEqualTo(entriesBefore);
    assertThat(store.blobRows()).isEqualTo(rowsBefore);
    assertThat(store.blobFiles()).isEqualTo(filesBefore);
  }

  @Test
  void withoutLimitsOrOwnersNothingIsScanned() throws IOException {
    store.file("pypi", "a", "a-1.0.tar.gz", 100, START);
    PrunePolicy none =
        new PrunePolicy(
            OptionalLong.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of(),
            Set.of("pypi"));
    assertThat(none.hasLimits()).isFalse();

    assertThat(pruner().run(none, true, ProgressListener.NONE).entriesScanned()).isZero();
    assertThat(pruner().run(maxBytes(0), true, ProgressListener.NONE).entriesSelected()).isZero();
    assertThat(store.names()).hasSize(1);
  }

  @Test
  void keepsTheLastReportAndReportsProgress() throws IOException {
    lruScenario();
    Pruner pruner = pruner();
    assertThat(pruner.lastReport()).isEmpty();
    List<String> phases = new ArrayList<>();

    PruneReport report =
        pruner.run(
            maxBytes(300, "pypi"),
            true,
            (phase, done, total) -> phases.add(phase + " " + done + "/" + total));

    assertThat(pruner.lastReport()).contains(report);
    assertThat(report.finishedAt()).isEqualTo(START);
    assertThat(phases).containsExactly("scan 6/6", "prune 6/6");
  }

  @Test
  void onlyOneLifecycleTaskRunsAtATime() throws IOException {
    store.file("pypi", "a", "a-1.0.tar.gz", 100, START);
    LifecycleLock lock = new LifecycleLock();
    Pruner pruner =
        new Pruner(store.meta, store.blobs, leases, store.clock, () -> free, pruned::add, lock);

    try (LifecycleLock.Held held = lock.acquire("garbage collection")) {
      assertThatThrownBy(() -> pruner.run(maxBytes(0, "pypi"), true, ProgressListener.NONE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a garbage collection is already running");
      assertThat(lock.running()).contains("garbage collection");
    }
    assertThat(pruner.run(maxBytes(0, "pypi"), true, ProgressListener.NONE).entriesSelected())
        .isEqualTo(1);
    assertThat(lock.running()).isEmpty();
  }

  @Test
  void aptProjectsArePackageDirectories() {
    assertThat(EntryNames.project(new EntryRef.AptFile("d", "pool/main/h/hello/hello_1.deb")))
        .isEqualTo("hello");
    assertThat(EntryNames.project(new EntryRef.AptFile("d", "pool/main/libc/libcurl4/x.deb")))
        .isEqualTo("libcurl4");
    assertThat(EntryNames.project(new EntryRef.AptFile("d", "dists/stable/InRelease")))
        .isEqualTo("dists");
    assertThat(EntryNames.project(new EntryRef.IndexFile("pypi", "numpy", "numpy-2.0.tar.gz")))
        .isEqualTo("numpy");
    assertThat(EntryNames.name(new EntryRef.AptFile("d", "dists/stable/InRelease")))
        .isEqualTo("dists/stable/InRelease");
  }
}
