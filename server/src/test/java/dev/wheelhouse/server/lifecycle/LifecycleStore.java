package dev.wheelhouse.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.ConsistencyCheck;
import dev.wheelhouse.storage.ConsistencyReport;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A real metadata store and blob store in a temp directory, with helpers to fill them. */
final class LifecycleStore implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  final TestClock clock = new TestClock(START);
  final Path data;
  final FileBlobStore blobs;
  final MetadataStore meta;

  LifecycleStore(Path dir) throws IOException {
    this.data = dir.resolve("data");
    this.blobs = FileBlobStore.open(data);
    this.meta = MetadataStore.open(dir.resolve("meta"), clock);
  }

  @Override
  public void close() throws IOException {
    meta.close();
    blobs.close();
  }

  /** {@code size} bytes that differ for every label. */
  static byte[] content(String label, int size) {
    byte[] seed = (label + "|").getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = seed[i % seed.length];
    }
    return bytes;
  }

  /** Commits {@code bytes} as a blob. */
  Sha256 commit(byte[] bytes) {
    try {
      return blobs.put(new ByteArrayInputStream(bytes), Optional.empty()).sha256();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An index file of {@code size} bytes of its own, stored at {@code uploaded}. */
  FileRecord file(String index, String project, String filename, int size, Instant uploaded) {
    return file(index, project, filename, content(filename, size), uploaded);
  }

  /** An index file holding {@code bytes}, committed first as upload and proxy code do. */
  FileRecord file(String index, String project, String filename, byte[] bytes, Instant uploaded) {
    Sha256 sha = commit(bytes);
    FileRecord record = record(index, project, filename, sha, bytes.length, uploaded, null);
    meta.putFile(record, project);
    return record;
  }

  /** A wheel with its METADATA stored as a second blob. */
  FileRecord wheel(
      String index, String project, String filename, byte[] bytes, byte[] metadata, Instant at) {
    Sha256 metadataSha = commit(metadata);
    meta.putBlob(new BlobRecord(metadataSha, metadata.length, at));
    Sha256 sha = commit(bytes);
    FileRecord record = record(index, project, filename, sha, bytes.length, at, metadataSha);
    meta.putFile(record, project);
    return record;
  }

  static FileRecord record(
      String index,
      String project,
      String filename,
      Sha256 sha,
      long size,
      Instant uploaded,
      Sha256 metadata) {
    return new FileRecord(
        index,
        project,
        filename,
        "1.0",
        sha,
        size,
        uploaded,
        Optional.empty(),
        Optional.empty(),
        Optional.ofNullable(metadata),
        Map.of());
  }

  /** An apt file of {@code size} bytes of its own, fetched at {@code fetched}. */
  AptFileRecord apt(String mirror, String path, int size, Instant fetched) {
    byte[] bytes = content(path, size);
    Sha256 sha = commit(bytes);
    AptFileRecord record =
        new AptFileRecord(
            mirror, path, sha, bytes.length, fetched, fetched, Optional.empty(), Optional.empty());
    meta.putAptFile(record);
    return record;
  }

  /** Records one download of {@code ref} at {@code when}. */
  void used(EntryRef ref, Instant when) {
    meta.recordAccesses(Map.of(ref, new AccessCounts(when, 1)));
  }

  static EntryRef ref(FileRecord file) {
    return new EntryRef.IndexFile(file.index(), file.project(), file.filename());
  }

  static EntryRef ref(AptFileRecord file) {
    return new EntryRef.AptFile(file.mirror(), file.path());
  }

  List<StoredEntry> entries() {
    List<StoredEntry> entries = new ArrayList<>();
    meta.forEachEntry(entries::add);
    return entries;
  }

  /** The entries' names ({@link EntryRef#toString()}), sorted. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    meta.forEachEntry(entry -> names.add(entry.ref().toString()));
    return names;
  }

  List<BlobRecord> blobRows() {
    List<BlobRecord> rows = new ArrayList<>();
    meta.forEachBlob(rows::add);
    return rows;
  }

  /** The blob files on disk, as hex digests, sorted. */
  Set<String> blobFiles() throws IOException {
    try (Stream<Sha256> listed = blobs.list()) {
      return listed.map(Sha256::hex).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Backdates a blob file, as if it had been committed at {@code when}. */
  void setFileTime(Sha256 sha, Instant when) throws IOException {
    Files.setLastModifiedTime(blobs.pathOf(sha), FileTime.from(when));
  }

  void assertConsistent() throws IOException {
    ConsistencyReport report = ConsistencyCheck.run(meta, blobs);
    assertThat(report.danglingFiles()).isEmpty();
    assertThat(report.danglingBlobRecords()).isEmpty();
    assertThat(report.consistent()).isTrue();
  }
}
