package dev.wheelhouse.storage;

import static dev.wheelhouse.storage.Records.file;
import static dev.wheelhouse.storage.Records.fullFile;
import static dev.wheelhouse.storage.Records.sha;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance of hosted files and platform misses: kept, replaced, dropped and reopened. */
class ProvenanceAndMissesTest {
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
  void provenanceIsKeptWithItsFileAndItsLogIsHeldByTheFile() {
    FileRecord wheel = fullFile("local", "foo", "foo-1.0-py3-none-any.whl");
    Provenance built = new Provenance("{\"recipe\":\"foo\"}", Optional.of(sha("log")));

    store.putFile(wheel, "foo", Optional.of(built));

    assertThat(store.getProvenance("local", "foo", wheel.filename())).contains(built);
    assertThat(store.filesWithProvenance("local", "foo")).containsExactly(wheel.filename());
    assertThat(store.referrers(sha("log"), 10))
        .containsExactly(new EntryRef.IndexFile("local", "foo", wheel.filename()));
  }

  @Test
  void deletingTheFileDropsItsProvenanceAndReleasesTheLog() {
    FileRecord wheel = file("local", "foo", "foo-1.0-py3-none-any.whl");
    store.putFile(wheel, "foo", Optional.of(new Provenance("{}", Optional.of(sha("log")))));

    assertThat(store.deleteEntry(new EntryRef.IndexFile("local", "foo", wheel.filename())))
        .isTrue();

    assertThat(store.getProvenance("local", "foo", wheel.filename())).isEmpty();
    assertThat(store.filesWithProvenance("local", "foo")).isEmpty();
    assertThat(store.isReferenced(sha("log"))).isFalse();
    store.putFile(wheel, "foo");
    assertThat(store.getProvenance("local", "foo", wheel.filename()))
        .as("a file uploaded again starts without one")
        .isEmpty();
  }

  @Test
  void aReplacedFileRowLosesItsOldProvenance() {
    FileRecord wheel = file("pypi", "foo", "foo-1.0-py3-none-any.whl");
    store.putFile(wheel, "foo", Optional.of(new Provenance("{}", Optional.of(sha("old log")))));

    store.putFile(wheel, "foo");

    assertThat(store.getProvenance("pypi", "foo", wheel.filename())).isEmpty();
    assertThat(store.isReferenced(sha("old log"))).isFalse();
    assertThat(store.isReferenced(wheel.sha256())).isTrue();
  }

  @Test
  void addProvenanceOnlyToAKnownFileWithoutOne() {
    FileRecord wheel = file("local", "foo", "foo-1.0-py3-none-any.whl");
    Provenance first = new Provenance("{\"n\":1}", Optional.empty());
    Provenance second = new Provenance("{\"n\":2}", Optional.of(sha("log")));

    assertThat(store.addProvenance("local", "foo", wheel.filename(), first)).isFalse();
    store.putFile(wheel, "foo");
    assertThat(store.addProvenance("local", "foo", wheel.filename(), first)).isTrue();
    assertThat(store.addProvenance("local", "foo", wheel.filename(), second)).isFalse();

    assertThat(store.getProvenance("local", "foo", wheel.filename())).contains(first);
    assertThat(store.isReferenced(sha("log"))).isFalse();
  }

  @Test
  void aDanglingBuildLogIsReportedByTheConsistencyCheck() throws IOException {
    try (FileBlobStore blobs = FileBlobStore.open(dir.resolve("data"))) {
      StoredBlob bytes =
          blobs.put(
              new java.io.ByteArrayInputStream("wheel".getBytes(StandardCharsets.UTF_8)),
              Optional.empty());
      FileRecord wheel =
          new FileRecord(
              "local",
              "foo",
              "foo-1.0-py3-none-any.whl",
              "1.0",
              bytes.sha256(),
              bytes.size(),
              START,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              java.util.Map.of());
      store.putFile(wheel, "foo", Optional.of(new Provenance("{}", Optional.of(sha("gone")))));

      ConsistencyReport report = ConsistencyCheck.run(store, blobs);

      assertThat(report.danglingFiles())
          .containsExactly("local/foo/foo-1.0-py3-none-any.whl build log -> " + sha("gone"));
    }
  }

  @Test
  void missesAddUpPerPlatformAndKeepTheLatestVersion() {
    Instant later = START.plus(Duration.ofMinutes(10));
    store.recordMisses(
        List.of(
            miss("all", "foo", "linux/arm64", START, Optional.of("1.0")),
            miss("all", "foo", "linux/arm64", later, Optional.empty())));
    store.recordMisses(
        List.of(
            miss("all", "foo", "linux/arm64", later.plusSeconds(5), Optional.of("1.1")),
            miss("all", "foo", "linux/amd64", START, Optional.empty()),
            miss("all", "foobar", "linux/arm64", START, Optional.empty())));

    List<PlatformMiss> misses = store.listMisses();

    assertThat(misses).hasSize(3);
    PlatformMiss arm = misses.get(1);
    assertThat(arm.project()).isEqualTo("foo");
    assertThat(arm.platform()).isEqualTo("linux/arm64");
    assertThat(arm.count()).isEqualTo(3);
    assertThat(arm.firstSeen()).isEqualTo(START);
    assertThat(arm.lastSeen()).isEqualTo(later.plusSeconds(5));
    assertThat(arm.version()).contains("1.1");
    assertThat(misses.get(0).platform()).isEqualTo("linux/amd64");
    assertThat(misses.get(2).project()).isEqualTo("foobar");
  }

  @Test
  void deleteMissesClearsOneProjectOnly() {
    store.recordMisses(
        List.of(
            miss("all", "foo", "linux/arm64", START, Optional.empty()),
            miss("all", "foo", "linux/amd64", START, Optional.empty()),
            miss("all", "foobar", "linux/arm64", START, Optional.empty()),
            miss("pypi", "foo", "linux/arm64", START, Optional.empty())));

    assertThat(store.deleteMisses("all", "foo")).isEqualTo(2);
    assertThat(store.deleteMisses("all", "foo")).isZero();

    assertThat(store.listMisses())
        .extracting(m -> m.index() + "/" + m.project())
        .containsExactly("all/foobar", "pypi/foo");
  }

  @Test
  void latestMissesAreTheLastSeenFirstAndNoMoreThanAsked() {
    store.recordMisses(
        List.of(
            miss("all", "old", "linux/arm64", START, Optional.empty()),
            miss("all", "newest", "linux/arm64", START.plusSeconds(30), Optional.empty()),
            miss("pypi", "tied", "linux/arm64", START.plusSeconds(10), Optional.empty()),
            miss("all", "tied", "linux/arm64", START.plusSeconds(10), Optional.empty()),
            miss("all", "middle", "linux/amd64", START.plusSeconds(20), Optional.empty())));
    // A later sighting moves a row up.
    store.recordMisses(
        List.of(miss("all", "old", "linux/arm64", START.plusSeconds(40), Optional.empty())));

    assertThat(store.latestMisses(3))
        .extracting(m -> m.index() + "/" + m.project())
        .containsExactly("all/old", "all/newest", "all/middle");
    assertThat(store.latestMisses(10))
        .extracting(m -> m.index() + "/" + m.project())
        .containsExactly("all/old", "all/newest", "all/middle", "all/tied", "pypi/tied");
    assertThat(store.latestMisses(10).get(0).count()).isEqualTo(2);
    assertThat(store.latestMisses(0)).isEmpty();
  }

  @Test
  void everythingSurvivesReopeningAndOldStoresOpen() throws Exception {
    FileRecord wheel = file("local", "foo", "foo-1.0-py3-none-any.whl");
    Provenance built = new Provenance("{}", Optional.of(sha("log")));
    store.putFile(wheel, "foo", Optional.of(built));
    store.recordMisses(List.of(miss("all", "foo", "linux/arm64", START, Optional.of("1.0"))));
    store.close();
    store = MetadataStore.open(dir, clock);
    assertThat(store.getProvenance("local", "foo", wheel.filename())).contains(built);
    assertThat(store.listMisses()).hasSize(1);
    store.close();
    store = null;

    RawRocksDb.dropFamily(dir, "provenance");
    RawRocksDb.dropFamily(dir, "platform_misses");
    store = MetadataStore.open(dir, clock);

    assertThat(store.getFile("local", "foo", wheel.filename())).contains(wheel);
    assertThat(store.getProvenance("local", "foo", wheel.filename())).isEmpty();
    assertThat(store.listMisses()).isEmpty();
  }

  private static PlatformMiss miss(
      String index, String project, String platform, Instant when, Optional<String> version) {
    return new PlatformMiss(index, project, platform, "3.12", "glibc 2.36", 1, when, when, version);
  }
}
