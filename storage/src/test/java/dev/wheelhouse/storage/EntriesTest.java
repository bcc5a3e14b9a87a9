package dev.wheelhouse.storage;

import static dev.wheelhouse.storage.Records.file;
import static dev.wheelhouse.storage.Records.fullFile;
import static dev.wheelhouse.storage.Records.sha;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries across kinds: who holds which blob, access counts, and the streaming scan. */
class EntriesTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(START);
  MetadataStore store;

  @BeforeEach
  void open() throws IOException {
    store = MetadataStore.open(dir, clock);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void blobReferencesFollowPutsReplacementsAndDeletes() {
    FileRecord wheel = fullFile("pypi", "numpy", "numpy-2.0-py3-none-any.whl");
    FileRecord sameBytes =
        withSha(file("local", "numpy", "numpy-2.0-py3-none-any.whl"), wheel.sha256());
    store.putFile(wheel, "numpy");
    store.putFile(sameBytes, "numpy");
    AptFileRecord release = apt("debian", "dists/stable/InRelease", sha("r1"));
    store.putAptFile(release);

    assertThat(store.referrers(wheel.sha256(), 10))
        .containsExactlyInAnyOrder(ref(wheel), ref(sameBytes));
    assertThat(store.referrers(wheel.coreMetadata().orElseThrow(), 10)).containsExactly(ref(wheel));
    assertThat(store.isReferenced(sha("r1"))).isTrue();

    store.deleteFile("pypi", "numpy", wheel.filename());
    assertThat(store.referrers(wheel.sha256(), 10)).containsExactly(ref(sameBytes));
    assertThat(store.isReferenced(wheel.coreMetadata().orElseThrow())).isFalse();

    store.putAptFile(apt("debian", "dists/stable/InRelease", sha("r2")));
    assertThat(store.isReferenced(sha("r1"))).isFalse();
    assertThat(store.isReferenced(sha("r2"))).isTrue();

    assertThat(store.deleteEntry(new EntryRef.AptFile("debian", "dists/stable/InRelease")))
        .isTrue();
    assertThat(store.isReferenced(sha("r2"))).isFalse();
    assertThat(store.deleteEntry(new EntryRef.AptFile("debian", "dists/stable/InRelease")))
        .isFalse();
  }

  @Test
  void accessesAddUpAcrossBatchesAndGoWithTheirEntry() {
    FileRecord wheel = file("pypi", "numpy", "numpy-2.0-py3-none-any.whl");
    store.putFile(wheel, "numpy");
    Instant first = START.plus(Duration.ofHours(1));
    Instant later = START.plus(Duration.ofHours(5));

    store.recordAccesses(Map.of(ref(wheel), new AccessCounts(first, 3)));
    store.recordAccesses(
        Map.of(
            ref(wheel),
            new AccessCounts(later, 2),
            new EntryRef.IndexFile("pypi", "gone", "gone-1.0.tar.gz"),
            new AccessCounts(later, 1)));

    assertThat(store.getAccess(ref(wheel))).contains(new AccessCounts(later, 5));
    assertThat(store.getAccess(new EntryRef.IndexFile("pypi", "gone", "gone-1.0.tar.gz")))
        .as("no counts for an entry that does not exist")
        .isEmpty();

    store.deleteFile("pypi", "numpy", wheel.filename());
    store.putFile(wheel, "numpy");
    assertThat(store.getAccess(ref(wheel))).as("a new entry starts from nothing").isEmpty();
  }

  @Test
  void everyEntryIsVisitedOnceWithItsOwnCounts() {
    List<FileRecord> files = new ArrayList<>();
    for (String project : List.of("a", "ab", "b", "torch")) {
      for (int i = 0; i < 3; i++) {
        FileRecord f = file("pypi", project, project + "-" + i + ".tar.gz");
        files.add(f);
        store.putFile(f, project);
      }
    }
    store.putAptFile(apt("debian", "pool/main/h/hello/hello_1.deb", sha("hello")));
    store.putAptFile(apt("debian", "dists/stable/InRelease", sha("release")));
    Instant used = START.plus(Duration.ofDays(2));
    // Counts for every other file, and for the apt package.
    for (int i = 0; i < files.size(); i += 2) {
      store.recordAccesses(Map.of(ref(files.get(i)), new AccessCounts(used, i + 1)));
    }
    store.recordAccesses(
        Map.of(
            new EntryRef.AptFile("debian", "pool/main/h/hello/hello_1.deb"),
            new AccessCounts(used, 7)));

    List<StoredEntry> seen = new ArrayList<>();
    store.forEachEntry(seen::add);

    assertThat(seen).hasSize(files.size() + 2);
    for (int i = 0; i < files.size(); i++) {
      FileRecord f = files.get(i);
      StoredEntry entry =
          seen.stream().filter(e -> e.ref().equals(ref(f))).findFirst().orElseThrow();
      assertThat(entry.sha256()).isEqualTo(f.sha256());
      assertThat(entry.size()).isEqualTo(f.size());
      if (i % 2 == 0) {
        assertThat(entry.lastAccess()).contains(used);
        assertThat(entry.hits()).isEqualTo(i + 1);
        assertThat(entry.lastUsed()).isEqualTo(used);
      } else {
        assertThat(entry.lastAccess()).isEmpty();
        assertThat(entry.hits()).isZero();
        assertThat(entry.lastUsed()).isEqualTo(f.uploadTime());
      }
    }
    StoredEntry hello =
        seen.stream()
            .filter(
                e ->
                    e.ref().equals(new EntryRef.AptFile("debian", "pool/main/h/hello/hello_1.deb")))
            .findFirst()
            .orElseThrow();
    assertThat(hello.hits()).isEqualTo(7);
    StoredEntry release =
        seen.stream()
            .filter(e -> e.ref().equals(new EntryRef.AptFile("debian", "dists/stable/InRelease")))
            .findFirst()
            .orElseThrow();
    assertThat(release.hits()).isZero();
  }

  @Test
  void blobChecksAreKeptAndGoWithTheBlob() {
    Sha256 blob = sha("checked");
    store.putBlob(new BlobRecord(blob, 7, START));
    assertThat(store.getBlobCheck(blob)).isEmpty();

    store.putBlobCheck(blob, START.plus(Duration.ofDays(1)));
    assertThat(store.getBlobCheck(blob)).contains(START.plus(Duration.ofDays(1)));

    store.deleteBlob(blob);
    assertThat(store.getBlobCheck(blob)).isEmpty();
  }

  @Test
  void aStoreWrittenBeforeBlobReferencesGetsThemOnOpen() throws Exception {
    FileRecord wheel = fullFile("pypi", "numpy", "numpy-2.0-py3-none-any.whl");
    store.putFile(wheel, "numpy");
    store.putAptFile(apt("debian", "pool/main/h/hello/hello_1.deb", sha("hello")));
    store.close();
    store = null;
    RawRocksDb.dropFamily(dir, "blob_refs");

    store = MetadataStore.open(dir, clock);

    assertThat(store.referrers(wheel.sha256(), 10)).containsExactly(ref(wheel));
    assertThat(store.isReferenced(wheel.coreMetadata().orElseThrow())).isTrue();
    assertThat(store.isReferenced(sha("hello"))).isTrue();
  }

  private static EntryRef ref(FileRecord file) {
    return new EntryRef.IndexFile(file.index(), file.project(), file.filename());
  }

  private AptFileRecord apt(String mirror, String path, Sha256 sha) {
    return new AptFileRecord(
        mirror,
        path,
        sha,
        100,
        clock.instant(),
        clock.instant(),
        Optional.empty(),
        Optional.empty());
  }

  private static FileRecord withSha(FileRecord file, Sha256 sha) {
    return new FileRecord(
        file.index(),
        file.project(),
        file.filename(),
        file.version(),
        sha,
        file.size(),
        file.uploadTime(),
        file.requiresPython(),
        file.yanked(),
        file.coreMetadata(),
        file.extraHashes());
  }
}
