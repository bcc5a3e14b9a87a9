package dev.wheelhouse.server.lifecycle;

import static dev.wheelhouse.server.lifecycle.LifecycleStore.START;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.Provenance;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphan blobs and stale temp files go once older than the grace period; nothing else does. */
class GarbageCollectorTest {
  static final Duration GRACE = Duration.ofHours(1);
  static final Instant OLD = START.minus(Duration.ofDays(1));
  static final Instant YOUNG = START.minus(Duration.ofMinutes(10));

  @TempDir Path dir;
  LifecycleStore store;
  final BlobLeases leases = new BlobLeases();

  @BeforeEach
  void open() throws IOException {
    store = new LifecycleStore(dir);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  GarbageCollector collector() {
    return new GarbageCollector(store.meta, store.blobs, leases, store.clock, GRACE);
  }

  /** A blob file no entry holds, with the given file time. */
  Sha256 orphan(String label, int size, Instant fileTime) throws IOException {
    Sha256 sha = store.commit(content(label, size));
    store.setFileTime(sha, fileTime);
    return sha;
  }

  @Test
  void removesOldOrphansOnlyAndDryRunsRemoveNothing() throws IOException {
    FileRecord referenced = store.file("pypi", "kept", "kept-1.0.tar.gz", 100, OLD);
    store.setFileTime(referenced.sha256(), OLD);
    Sha256 oldOrphan = orphan("old orphan", 200, OLD);
    Sha256 youngOrphan = orphan("young orphan", 300, YOUNG);
    // Old bytes committed again a moment ago: only the new blob row tells it is young.
    Sha256 recordedLately = orphan("recorded lately", 400, OLD);
    store.meta.putBlob(new BlobRecord(recordedLately, 400, YOUNG));
    Sha256 recordedLongAgo = orphan("recorded long ago", 500, OLD);
    store.meta.putBlob(new BlobRecord(recordedLongAgo, 500, OLD));
    Sha256 leased = orphan("being downloaded", 600, OLD);
    Set<String> before = store.blobFiles();

    GcReport dry;
    GcReport applied;
    try (BlobLeases.Lease lease = leases.acquire(leased)) {
      dry = collector().run(false, ProgressListener.NONE);
      assertThat(store.blobFiles()).isEqualTo(before);
      applied = collector().run(true, ProgressListener.NONE);
      assertThat(lease).isNotNull();
    }

    assertThat(dry).isEqualTo(new GcReport(false, 6, 2, 700, 0, 0, 0));
    assertThat(applied).isEqualTo(new GcReport(true, 6, 2, 700, 2, 0, 0));
    assertThat(store.blobs.contains(oldOrphan)).isFalse();
    assertThat(store.blobs.contains(recordedLongAgo)).isFalse();
    assertThat(store.meta.getBlob(recordedLongAgo)).isEmpty();
    assertThat(store.blobs.contains(referenced.sha256())).isTrue();
    assertThat(store.blobs.contains(youngOrphan)).isTrue();
    assertThat(store.blobs.contains(recordedLately)).isTrue();
    assertThat(store.blobs.contains(leased)).isTrue();
    store.assertConsistent();

    // Once released, the leased orphan goes with the next run.
    assertThat(collector().run(true, ProgressListener.NONE).removedBlobs()).isEqualTo(1);
    assertThat(store.blobs.contains(leased)).isFalse();
  }

  @Test
  void aBuildLogStaysAsLongAsItsFile() throws IOException {
    FileRecord wheel = store.file("local", "built", "built-1.0-py3-none-any.whl", 100, OLD);
    store.setFileTime(wheel.sha256(), OLD);
    Sha256 log = orphan("build log", 300, OLD);
    store.meta.putBlob(new BlobRecord(log, 300, OLD));
    assertThat(
            store.meta.addProvenance(
                "local", "built", wheel.filename(), new Provenance("{}", Optional.of(log))))
        .isTrue();

    assertThat(collector().run(true, ProgressListener.NONE).removedBlobs()).isZero();
    assertThat(store.blobs.contains(log)).isTrue();

    store.meta.deleteFile("local", "built", wheel.filename());
    collector().run(true, ProgressListener.NONE);
    assertThat(store.blobs.contains(log)).isFalse();
  }

  @Test
  void removesOldTempFilesAndLeavesYoungOnes() throws IOException {
    Path tmp = store.blobs.tempDir();
    Path old = write(tmp.resolve("upload-old.tmp"), OLD);
    Path young = write(tmp.resolve("upload-young.tmp"), YOUNG);
    Path nested = write(tmp.resolve("bodies").resolve("body-old"), OLD);
    Files.setLastModifiedTime(nested.getParent(), FileTime.from(OLD));

    GcReport dry = collector().run(false, ProgressListener.NONE);
    assertThat(dry.removedTempFiles()).isEqualTo(2);
    assertThat(old).exists();
    assertThat(nested).exists();

    GcReport applied = collector().run(true, ProgressListener.NONE);
    assertThat(applied.removedTempFiles()).isEqualTo(2);
    assertThat(old).doesNotExist();
    assertThat(nested.getParent()).doesNotExist();
    assertThat(young).exists();
    assertThat(tmp).isDirectory();
  }

  private static Path write(Path file, Instant time) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, content(file.toString(), 10));
    Files.setLastModifiedTime(file, FileTime.from(time));
    return file;
  }
}
