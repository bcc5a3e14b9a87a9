package dev.wheelhouse.storage;

import static dev.wheelhouse.storage.Records.file;
import static dev.wheelhouse.storage.Records.fullFile;
import static dev.wheelhouse.storage.Records.sha;
import static dev.wheelhouse.storage.Records.upstreamNotFound;
import static dev.wheelhouse.storage.Records.upstreamPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class MetadataStoreTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

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
  void putFileRecordsTheFileItsBlobAndItsProject() {
    FileRecord file = fullFile("local", "foo-bar", "foo_bar-2.0-py3-none-any.whl");

    store.putFile(file, "Foo_Bar");

    assertThat(store.getFile("local", "foo-bar", file.filename())).contains(file);
    assertThat(store.getProject("local", "foo-bar"))
        .contains(new ProjectRecord("local", "foo-bar", "Foo_Bar", START));
    assertThat(store.getBlob(file.sha256()))
        .contains(new BlobRecord(file.sha256(), file.size(), START));
    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(1, file.size()));
  }

  @Test
  void unknownRecordsAreEmpty() {
    assertThat(store.getFile("local", "foo", "foo-1.whl")).isEmpty();
    assertThat(store.getProject("local", "foo")).isEmpty();
    assertThat(store.getBlob(sha("nothing"))).isEmpty();
    assertThat(store.listFiles("local", "foo")).isEmpty();
    assertThat(store.listProjects("local")).isEmpty();
    assertThat(store.blobTotals()).isEqualTo(BlobTotals.EMPTY);
  }

  @Test
  void laterUploadsKeepTheDisplayNameAndUpdateLastChanged() {
    store.putFile(file("local", "foo-bar", "foo_bar-1.0.tar.gz"), "Foo_Bar");
    clock.advance(Duration.ofHours(1));

    store.putFile(file("local", "foo-bar", "foo_bar-1.1.tar.gz"), "foo.bar");

    assertThat(store.getProject("local", "foo-bar"))
        .contains(
            new ProjectRecord("local", "foo-bar", "Foo_Bar", START.plus(Duration.ofHours(1))));
  }

  @Test
  void filesAreListedSortedByFilename() {
    List<String> names = List.of("foo-1.10.tar.gz", "foo-1.2.tar.gz", "Foo-0.9.zip", "foo-1.0.whl");
    for (String name : names) {
      store.putFile(file("local", "foo", name), "foo");
    }

    assertThat(store.listFiles("local", "foo"))
        .extracting(FileRecord::filename)
        .containsExactly("Foo-0.9.zip", "foo-1.0.whl", "foo-1.10.tar.gz", "foo-1.2.tar.gz");
  }

  @Test
  void projectsAreListedSortedByName() {
    for (String project : List.of("zope-interface", "attrs", "numpy", "torch")) {
      store.putFile(file("pypi", project, project + "-1.0.tar.gz"), project);
    }

    assertThat(store.listProjects("pypi"))
        .extracting(ProjectRecord::project)
        .containsExactly("attrs", "numpy", "torch", "zope-interface");
  }

  @Test
  void prefixScansNeverLeakIntoNeighbouringNames() {
    store.putFile(file("a", "foo", "foo-1.whl"), "foo");
    store.putFile(file("a", "foo-bar", "foo_bar-1.whl"), "foo-bar");
    store.putFile(file("a", "foobar", "foobar-1.whl"), "foobar");
    store.putFile(file("ab", "foo", "foo-2.whl"), "foo");
    store.putFile(file("ab", "zzz", "zzz-1.whl"), "zzz");

    assertThat(store.listFiles("a", "foo"))
        .extracting(FileRecord::filename)
        .containsExactly("foo-1.whl");
    assertThat(store.listFiles("ab", "foo"))
        .extracting(FileRecord::filename)
        .containsExactly("foo-2.whl");
    assertThat(store.listProjects("a"))
        .extracting(ProjectRecord::project)
        .containsExactly("foo", "foo-bar", "foobar");
    assertThat(store.listProjects("ab"))
        .extracting(ProjectRecord::project)
        .containsExactly("foo", "zzz");
    assertThat(store.listProjects("b")).isEmpty();
  }

  @Test
  void namesWithNulOrEmptyAreRejected() {
    assertThatThrownBy(() -> store.putFile(file("lo\0cal", "foo", "foo-1.whl"), "foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index must not contain NUL");
    assertThatThrownBy(() -> store.getFile("local", "foo\0", "foo-1.whl"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listFiles("local", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.setYanked("local", "foo", "x\0", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void yankAndUnyank() {
    FileRecord file = file("local", "foo", "foo-1.0.tar.gz");
    store.putFile(file, "foo");

    clock.advance(Duration.ofMinutes(5));
    assertThat(store.setYanked("local", "foo", file.filename(), Optional.of("CVE-2024-1")))
        .isTrue();
    assertThat(store.getFile("local", "foo", file.filename()).orElseThrow().yanked())
        .contains("CVE-2024-1");
    assertThat(store.getProject("local", "foo").orElseThrow().lastChanged())
        .isEqualTo(START.plus(Duration.ofMinutes(5)));

    assertThat(store.setYanked("local", "foo", file.filename(), Optional.of(""))).isTrue();
    assertThat(store.getFile("local", "foo", file.filename()).orElseThrow().yanked()).contains("");

    clock.advance(Duration.ofMinutes(5));
    assertThat(store.setYanked("local", "foo", file.filename(), Optional.empty())).isTrue();
    assertThat(store.getFile("local", "foo", file.filename())).contains(file);
    assertThat(store.getProject("local", "foo").orElseThrow().lastChanged())
        .isEqualTo(START.plus(Duration.ofMinutes(10)));

    assertThat(store.setYanked("local", "foo", "foo-9.9.tar.gz", Optional.of("x"))).isFalse();
    assertThat(store.setYanked("other", "foo", file.filename(), Optional.of("x"))).isFalse();
  }

  @Test
  void aBlobSharedByTwoFilesIsCountedOnce() {
    FileRecord first = file("local", "foo", "foo-1.whl");
    FileRecord copy =
        new FileRecord(
            "mirror",
            "foo",
            "foo-1.whl",
            "1.0",
            first.sha256(),
            first.size(),
            first.uploadTime(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            first.extraHashes());
    store.putFile(first, "foo");
    clock.advance(Duration.ofDays(1));
    store.putFile(copy, "foo");

    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(1, first.size()));
    assertThat(store.getBlob(first.sha256()).orElseThrow().created()).isEqualTo(START);
  }

  @Test
  void putBlobRecordsOnceAndCounts() {
    BlobRecord metadata = new BlobRecord(sha("METADATA"), 2048, START);

    assertThat(store.putBlob(metadata)).isTrue();
    assertThat(store.putBlob(new BlobRecord(metadata.sha256(), 2048, START.plusSeconds(9))))
        .isFalse();

    assertThat(store.getBlob(metadata.sha256())).contains(metadata);
    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(1, 2048));
  }

  @Test
  void deleteFileDropsTheProjectWithItsLastFile() {
    store.putFile(file("local", "foo", "foo-1.whl"), "foo");
    store.putFile(file("local", "foo", "foo-2.whl"), "foo");
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.deleteFile("local", "foo", "foo-1.whl")).isTrue();
    assertThat(store.getFile("local", "foo", "foo-1.whl")).isEmpty();
    assertThat(store.getProject("local", "foo").orElseThrow().lastChanged())
        .isEqualTo(START.plus(Duration.ofMinutes(1)));

    assertThat(store.deleteFile("local", "foo", "foo-2.whl")).isTrue();
    assertThat(store.getProject("local", "foo")).isEmpty();
    assertThat(store.deleteFile("local", "foo", "foo-2.whl")).isFalse();
    assertThat(store.blobTotals().count()).isEqualTo(2); // blob rows are GC's business
  }

  @Test
  void deleteBlobUpdatesTotals() {
    FileRecord file = file("local", "foo", "foo-1.whl");
    store.putFile(file, "foo");
    store.putBlob(new BlobRecord(sha("meta"), 10, START));

    assertThat(store.deleteBlob(file.sha256())).isTrue();
    assertThat(store.deleteBlob(file.sha256())).isFalse();
    assertThat(store.getBlob(file.sha256())).isEmpty();
    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(1, 10));
  }

  @Test
  void fullScansVisitEverythingInKeyOrder() {
    store.putFile(file("b", "x", "x-1.whl"), "x");
    store.putFile(file("a", "y", "y-1.whl"), "y");
    store.putFile(file("a", "x", "x-2.whl"), "x");
    store.putBlob(new BlobRecord(sha("meta"), 1, START));

    List<String> files = new ArrayList<>();
    store.forEachFile(f -> files.add(f.index() + "/" + f.project() + "/" + f.filename()));
    List<BlobRecord> blobs = new ArrayList<>();
    store.forEachBlob(blobs::add);

    assertThat(files).containsExactly("a/x/x-2.whl", "a/y/y-1.whl", "b/x/x-1.whl");
    assertThat(blobs).hasSize(4).extracting(BlobRecord::sha256).contains(sha("meta"));
    assertThat(blobs.stream().mapToLong(BlobRecord::size).sum())
        .isEqualTo(store.blobTotals().bytes());
  }

  @Test
  void everythingSurvivesCloseAndReopen() throws IOException {
    FileRecord full = fullFile("local", "foo", "foo-2.0-py3-none-any.whl");
    FileRecord plain = file("pypi", "bar", "bar-1.0.tar.gz");
    store.putFile(full, "Foo");
    store.putFile(plain, "Bar");
    store.putBlob(new BlobRecord(full.coreMetadata().orElseThrow(), 777, START));
    store.setYanked("pypi", "bar", plain.filename(), Optional.of("bad"));
    BlobTotals totals = store.blobTotals();
    store.close();

    store = MetadataStore.open(dir, clock);

    assertThat(store.getFile("local", "foo", full.filename())).contains(full);
    assertThat(store.listFiles("pypi", "bar"))
        .containsExactly(plain.withYanked(Optional.of("bad")));
    assertThat(store.getProject("local", "foo").orElseThrow().displayName()).isEqualTo("Foo");
    assertThat(store.blobTotals())
        .isEqualTo(totals)
        .isEqualTo(new BlobTotals(3, full.size() + plain.size() + 777));
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsClearly() {
    assertThatThrownBy(() -> MetadataStore.open(dir, clock))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("metadata store")
        .hasMessageContaining("is locked by another process")
        .hasCauseInstanceOf(RocksDBException.class);
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    store.close();
    store.close();

    assertThatThrownBy(() -> store.getProject("local", "foo"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(store.blobTotals()).isEqualTo(BlobTotals.EMPTY);
  }

  @Test
  void opensStoresThatHaveColumnFamiliesItDoesNotKnow() throws Exception {
    store.putFile(file("local", "foo", "foo-1.whl"), "foo");
    store.close();
    withRawDb(
        List.of("default", "blobs", "files", "projects", "builds"),
        (db, handles) -> db.put(handles.get(4), bytes("build-1"), bytes("{}")));

    store = MetadataStore.open(dir, clock);

    assertThat(store.listFiles("local", "foo")).hasSize(1);
  }

  @Test
  void refusesAStoreWithANewerSchema() throws Exception {
    store.close();
    withRawDb(
        List.of("default", "blobs", "files", "projects"),
        (db, handles) ->
            db.put(
                handles.get(0),
                bytes("schema-version"),
                ByteBuffer.allocate(4).putInt(MetadataStore.SCHEMA_VERSION + 1).array()));

    assertThatThrownBy(() -> MetadataStore.open(dir, clock))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("schema version 2");
    store = MetadataStore.open(dir.resolve("fresh"), clock); // the lock was released
  }

  @Test
  void concurrentPutsKeepTotalsExact() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  // Half the files share blobs across threads.
                  FileRecord shared = file("local", "p" + i, "p-" + i + ".whl");
                  store.putFile(
                      new FileRecord(
                          "t" + id,
                          shared.project(),
                          shared.filename(),
                          "1",
                          i % 2 == 0 ? shared.sha256() : sha(id + "/" + i),
                          10,
                          START,
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          shared.extraHashes()),
                      "P");
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(25 + 8 * 25, 10L * (25 + 8 * 25)));
    store.close();
    store = MetadataStore.open(dir, clock);
    assertThat(store.blobTotals()).isEqualTo(new BlobTotals(25 + 8 * 25, 10L * (25 + 8 * 25)));
  }

  @Test
  void upstreamPagesArePutGotAndReplaced() {
    UpstreamPage page = upstreamPage("pypi", "foo-bar");
    assertThat(store.getUpstreamPage("pypi", "foo-bar")).isEmpty();

    store.putUpstreamPage(page);
    assertThat(store.getUpstreamPage("pypi", "foo-bar")).contains(page);

    UpstreamPage gone = upstreamNotFound("pypi", "foo-bar");
    store.putUpstreamPage(gone);
    assertThat(store.getUpstreamPage("pypi", "foo-bar")).contains(gone);

    // A separate family: neither projects nor files of the index see it.
    assertThat(store.getProject("pypi", "foo-bar")).isEmpty();
    assertThat(store.listProjects("pypi")).isEmpty();
    List<FileRecord> files = new ArrayList<>();
    store.forEachFile(files::add);
    assertThat(files).isEmpty();
  }

  @Test
  void upstreamPagesSurviveCloseAndReopen() throws IOException {
    UpstreamPage small = upstreamPage("pypi", "foo");
    UpstreamPage big =
        new UpstreamPage(
            "pypi",
            "torch",
            200,
            small.url().resolve("../torch/"),
            small.contentType(),
            Records.bytes(2 * 1024 * 1024, 11),
            Optional.empty(),
            Optional.of("Mon, 01 Jan 2024 00:00:00 GMT"),
            small.fetchedAt());
    UpstreamPage missing = upstreamNotFound("mirror", "nope");
    store.putUpstreamPage(small);
    store.putUpstreamPage(big);
    store.putUpstreamPage(missing);
    store.close();

    store = MetadataStore.open(dir, clock);

    assertThat(store.getUpstreamPage("pypi", "foo")).contains(small);
    assertThat(store.getUpstreamPage("pypi", "torch")).contains(big);
    assertThat(store.getUpstreamPage("mirror", "nope")).contains(missing);
  }

  @Test
  void upstreamPageScansStayWithinTheirIndex() {
    for (String project : List.of("foo", "foo-bar", "foobar")) {
      store.putUpstreamPage(upstreamPage("a", project));
    }
    store.putUpstreamPage(upstreamNotFound("a", "zzz"));
    store.putUpstreamPage(upstreamPage("ab", "foo"));
    store.putUpstreamPage(upstreamPage("b", "aaa"));
    store.putFile(file("a", "local-only", "local_only-1.whl"), "local-only");

    List<UpstreamPage> seen = new ArrayList<>();
    store.forEachUpstreamPage("a", seen::add);

    assertThat(seen)
        .containsExactly(
            upstreamPage("a", "foo"),
            upstreamPage("a", "foo-bar"),
            upstreamPage("a", "foobar"),
            upstreamNotFound("a", "zzz"));
    List<String> ab = new ArrayList<>();
    store.forEachUpstreamPage("ab", p -> ab.add(p.index() + "/" + p.project()));
    assertThat(ab).containsExactly("ab/foo");
    List<UpstreamPage> none = new ArrayList<>();
    store.forEachUpstreamPage("c", none::add);
    assertThat(none).isEmpty();
    assertThat(store.getUpstreamPage("a", "fo")).isEmpty();
    assertThat(store.getUpstreamPage("ab", "foo-bar")).isEmpty();
    assertThatThrownBy(() -> store.getUpstreamPage("a\0b", "foo"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.putUpstreamPage(upstreamPage("a", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void opensAStoreCreatedBeforeTheUpstreamPagesFamily() throws Exception {
    Path old = dir.resolve("old");
    FileRecord file = file("local", "foo", "foo-1.whl");
    withRawDb(
        old,
        List.of("default", "blobs", "files", "projects"),
        (db, handles) -> {
          db.put(
              handles.get(0),
              bytes("schema-version"),
              ByteBuffer.allocate(4).putInt(MetadataStore.SCHEMA_VERSION).array());
          db.put(
              handles.get(2),
              MetaKeys.file(file.index(), file.project(), file.filename()),
              RecordCodec.encodeFile(file));
        });

    try (MetadataStore upgraded = MetadataStore.open(old, clock)) {
      assertThat(upgraded.getFile("local", "foo", "foo-1.whl")).contains(file);
      assertThat(upgraded.getUpstreamPage("pypi", "foo")).isEmpty();
      upgraded.putUpstreamPage(upstreamPage("pypi", "foo"));
    }
    try (MetadataStore reopened = MetadataStore.open(old, clock)) {
      assertThat(reopened.getUpstreamPage("pypi", "foo")).contains(upstreamPage("pypi", "foo"));
      assertThat(reopened.getFile("local", "foo", "foo-1.whl")).contains(file);
    }
  }

  @Test
  void concurrentUpstreamPutsAndReadsSeeWholePages() throws Exception {
    UpstreamPage first = upstreamPage("pypi", "foo");
    UpstreamPage second = upstreamNotFound("pypi", "foo");
    store.putUpstreamPage(first);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> writing =
          pool.submit(
              () -> {
                for (int i = 0; i < 200; i++) {
                  store.putUpstreamPage(i % 2 == 0 ? second : first);
                }
              });
      while (!writing.isDone()) {
        assertThat(store.getUpstreamPage("pypi", "foo").orElseThrow()).isIn(first, second);
      }
      writing.get(); // rethrows a failure of the writer
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.getUpstreamPage("pypi", "foo")).contains(first);
  }

  private interface RawAction {
    void run(RocksDB db, List<ColumnFamilyHandle> handles) throws RocksDBException;
  }

  private void withRawDb(List<String> families, RawAction action) throws RocksDBException {
    withRawDb(dir, families, action);
  }

  /**
   * Opens {@code dir} with raw RocksDB: {@code families} first, in that order (the handles follow
   * it), then any other family the database already has, since RocksDB insists on all of them.
   */
  private static void withRawDb(Path dir, List<String> families, RawAction action)
      throws RocksDBException {
    Set<String> names = new LinkedHashSet<>(families);
    if (Files.exists(dir.resolve("CURRENT"))) {
      try (Options options = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
          names.add(new String(name, StandardCharsets.UTF_8));
        }
      }
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String family : names) {
      descriptors.add(new ColumnFamilyDescriptor(bytes(family)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      try {
        action.run(db, handles);
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
