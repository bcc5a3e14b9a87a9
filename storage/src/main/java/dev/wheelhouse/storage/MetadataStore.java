package dev.wheelhouse.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata of indexes, projects, files and blobs in one RocksDB database.
 *
 * <p>Column families: {@code blobs} (raw sha256 → {@link BlobRecord}), {@code files} (index NUL
 * project NUL filename → {@link FileRecord}), {@code projects} (index NUL project → {@link
 * ProjectRecord}), {@code upstream_pages} (index NUL project → {@link UpstreamPage}, the cached
 * answers of proxied indexes), {@code apt_files} (mirror NUL path → {@link AptFileRecord}), {@code
 * apt_expected} (mirror NUL path → {@link AptExpectedFile}), {@code provenance} (a file's key →
 * {@link Provenance}), {@code platform_misses} (index NUL project NUL platform key → {@link
 * PlatformMiss}) and {@code default}, which holds the schema version. Values use {@link
 * RecordCodec}. Every write is synced, and writes that touch several rows go in one batch, so a
 * crash never leaves half a change.
 *
 * <p>Thread-safe and blocking. Read-modify-write operations are serialized by one mutex: they are
 * short and rare next to reads, and it keeps the in-memory blob totals exact. RocksDB failures
 * surface as {@link UncheckedIOException}, undecodable values as {@link RecordFormatException}.
 */
public final class MetadataStore implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(MetadataStore.class);

  /**
   * Version of the key layout and set of column families; stored under {@code schema-version}.
   * Adding a column family needs no new version: older builds open stores with families they do not
   * know, and newer ones create missing families on open.
   */
  static final int SCHEMA_VERSION = 1;

  private static final byte[] SCHEMA_KEY = "schema-version".getBytes(StandardCharsets.UTF_8);
  private static final String DEFAULT_CF = "default";
  private static final String BLOBS_CF = "blobs";
  private static final String FILES_CF = "files";
  private static final String PROJECTS_CF = "projects";
  private static final String UPSTREAM_PAGES_CF = "upstream_pages";
  private static final String APT_FILES_CF = "apt_files";
  private static final String APT_EXPECTED_CF = "apt_expected";
  private static final String BLOB_REFS_CF = "blob_refs";
  private static final String ACCESS_CF = "access";
  private static final String BLOB_CHECKS_CF = "blob_checks";
  private static final String PROVENANCE_CF = "provenance";
  private static final String PLATFORM_MISSES_CF = "platform_misses";
  // Index rows per write batch: a Debian Packages index lists ~60k files.
  private static final int EXPECTED_BATCH = 4096;
  private static final byte[] EVERYTHING = new byte[0];
  private static final Comparator<PlatformMiss> LATEST_MISS_FIRST =
      Comparator.comparing(PlatformMiss::lastSeen)
          .reversed()
          .thenComparing(PlatformMiss::index)
          .thenComparing(PlatformMiss::project)
          .thenComparing(PlatformMiss::platformKey);

  private final Path dir;
  private final Clock clock;
  private final Natives natives;
  private final ColumnFamilyHandle blobs;
  private final ColumnFamilyHandle files;
  private final ColumnFamilyHandle projects;
  private final ColumnFamilyHandle upstreamPages;
  private final ColumnFamilyHandle aptFiles;
  private final ColumnFamilyHandle aptExpected;
  private final ColumnFamilyHandle blobRefs;
  private final ColumnFamilyHandle access;
  private final ColumnFamilyHandle blobChecks;
  private final ColumnFamilyHandle provenance;
  private final ColumnFamilyHandle platformMisses;

  /** Read side: every operation; write side: close, so that no call runs on freed native memory. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private final Object writeMutex = new Object();
  private boolean closed;
  private volatile BlobTotals totals = BlobTotals.EMPTY;

  private MetadataStore(Path dir, Clock clock, Natives natives) {
    this.dir = dir;
    this.clock = clock;
    this.natives = natives;
    this.blobs = natives.handle(BLOBS_CF);
    this.files = natives.handle(FILES_CF);
    this.projects = natives.handle(PROJECTS_CF);
    this.upstreamPages = natives.handle(UPSTREAM_PAGES_CF);
    this.aptFiles = natives.handle(APT_FILES_CF);
    this.aptExpected = natives.handle(APT_EXPECTED_CF);
    this.blobRefs = natives.handle(BLOB_REFS_CF);
    this.access = natives.handle(ACCESS_CF);
    this.blobChecks = natives.handle(BLOB_CHECKS_CF);
    this.provenance = natives.handle(PROVENANCE_CF);
    this.platformMisses = natives.handle(PLATFORM_MISSES_CF);
  }

  /**
   * Opens the store in {@code dir}, creating it if missing.
   *
   * @throws IOException if RocksDB cannot open it, e.g. because another process holds its lock, or
   *     if it was written with a newer schema
   */
  public static MetadataStore open(Path dir, Clock clock) throws IOException {
    Objects.requireNonNull(clock, "clock");
    loadNativeLibrary();
    Path absolute = dir.toAbsolutePath().normalize();
    Files.createDirectories(absolute);
    Natives natives = new Natives();
    try {
      boolean refsMissing =
          Files.exists(absolute.resolve("CURRENT"))
              && !existingFamilies(absolute).contains(BLOB_REFS_CF);
      natives.open(absolute, columnFamilyNames(absolute));
      MetadataStore store = new MetadataStore(absolute, clock, natives);
      store.checkSchema();
      if (refsMissing) {
        store.rebuildBlobRefs(); // a store written before blob references were kept
      }
      store.totals = store.scanBlobTotals();
      return store;
    } catch (RocksDBException e) {
      natives.close();
      throw openFailure(absolute, e);
    } catch (IOException | RuntimeException e) {
      natives.close();
      throw e;
    }
  }

  /**
   * Atomically records {@code file}, its blob (if not yet known; size from the file) and its
   * project (created with {@code displayName}, or its lastChanged updated). The caller has already
   * committed the file's blob and its core-metadata blob.
   */
  public void putFile(FileRecord file, String displayName) {
    putFile(file, displayName, Optional.empty());
  }

  /**
   * As {@link #putFile(FileRecord, String)}, with how the file was built. A provenance's build log
   * must be a committed, recorded blob ({@link #putBlob}); the file's entry holds it from now on. A
   * replaced file row loses its old provenance.
   */
  public void putFile(FileRecord file, String displayName, Optional<Provenance> built) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(built, "built");
    byte[] fileKey = MetaKeys.file(file.index(), file.project(), file.filename());
    byte[] fileValue = RecordCodec.encodeFile(file);
    byte[] blobKey = MetaKeys.blob(file.sha256());
    mutate(
        "put file " + describe(file),
        () -> {
          Instant now = clock.instant();
          boolean newBlob = natives.db.get(blobs, blobKey) == null;
          byte[] entryKey = MetaKeys.entry(entryOf(file));
          byte[] previous = natives.db.get(files, fileKey);
          try (WriteBatch batch = new WriteBatch()) {
            batch.put(files, fileKey, fileValue);
            if (previous != null) {
              FileRecord old =
                  RecordCodec.decodeFile(file.index(), file.project(), file.filename(), previous);
              deleteRefs(batch, entryKey, old.sha256(), old.coreMetadata());
              deleteProvenance(batch, fileKey, entryKey, describe(file));
            }
            putRefs(batch, entryKey, file.sha256(), file.coreMetadata());
            if (built.isPresent()) {
              putProvenance(batch, fileKey, entryKey, built.get());
            }
            if (newBlob) {
              BlobRecord blob = new BlobRecord(file.sha256(), file.size(), now);
              batch.put(blobs, blobKey, RecordCodec.encodeBlob(blob));
            }
            touchProject(batch, file.index(), file.project(), displayName, now);
            natives.db.write(natives.syncWrites, batch);
          }
          if (newBlob) {
            totals = totals.plus(1, file.size());
          }
          return null;
        });
  }

  public Optional<FileRecord> getFile(String index, String project, String filename) {
    byte[] key = MetaKeys.file(index, project, filename);
    byte[] value = read("get file", () -> natives.db.get(files, key));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeFile(index, project, filename, v));
  }

  /** How a file was built, if its upload said so. */
  public Optional<Provenance> getProvenance(String index, String project, String filename) {
    byte[] key = MetaKeys.file(index, project, filename);
    byte[] value = read("get provenance", () -> natives.db.get(provenance, key));
    return Optional.ofNullable(value)
        .map(v -> RecordCodec.decodeProvenance(index + "/" + project + "/" + filename, v));
  }

  /** Names of the files of a project that have a provenance. */
  public Set<String> filesWithProvenance(String index, String project) {
    byte[] prefix = MetaKeys.projectPrefix(index, project);
    Set<String> names = new LinkedHashSet<>();
    read(
        "list provenance",
        () -> {
          scan(
              provenance,
              prefix,
              true,
              (key, value) -> {
                names.add(MetaKeys.split(key, 3).get(2));
                return true;
              });
          return null;
        });
    return Collections.unmodifiableSet(names);
  }

  /**
   * Gives a file that has none a provenance (its build log, if any, committed and recorded first).
   *
   * @return false if the file is unknown or already has a provenance, which is kept
   */
  public boolean addProvenance(String index, String project, String filename, Provenance built) {
    Objects.requireNonNull(built, "built");
    byte[] fileKey = MetaKeys.file(index, project, filename);
    return mutate(
        "add provenance " + index + "/" + project + "/" + filename,
        () -> {
          if (natives.db.get(files, fileKey) == null
              || natives.db.get(provenance, fileKey) != null) {
            return false;
          }
          byte[] entryKey = MetaKeys.entry(new EntryRef.IndexFile(index, project, filename));
          try (WriteBatch batch = new WriteBatch()) {
            putProvenance(batch, fileKey, entryKey, built);
            natives.db.write(natives.syncWrites, batch);
          }
          return true;
        });
  }

  /** Visits every provenance row in key order. Do not call {@link #close} from the action. */
  public void forEachProvenance(BiConsumer<EntryRef.IndexFile, Provenance> action) {
    Objects.requireNonNull(action, "action");
    scanAll(
        "scan provenance",
        provenance,
        (key, value) -> {
          List<String> names = MetaKeys.split(key, 3);
          EntryRef.IndexFile file =
              new EntryRef.IndexFile(names.get(0), names.get(1), names.get(2));
          action.accept(file, RecordCodec.decodeProvenance(file.toString(), value));
          return true;
        });
  }

  /**
   * Adds sightings of platforms that found no wheel to the stored rows (summing counts), in one
   * unsynced batch: like access counts, they are worth a batch now and then, not an fsync each.
   */
  public void recordMisses(Collection<PlatformMiss> sightings) {
    Objects.requireNonNull(sightings, "sightings");
    if (sightings.isEmpty()) {
      return;
    }
    mutate(
        "record platform misses",
        () -> {
          // Sightings of one row within the batch add up before they meet the stored row.
          Map<String, PlatformMiss> merged = new LinkedHashMap<>();
          for (PlatformMiss sighting : sightings) {
            merged.merge(
                sighting.index() + '\0' + sighting.project() + '\0' + sighting.platformKey(),
                sighting,
                PlatformMiss::plus);
          }
          try (WriteBatch batch = new WriteBatch()) {
            for (PlatformMiss sighting : merged.values()) {
              byte[] key =
                  MetaKeys.miss(sighting.index(), sighting.project(), sighting.platformKey());
              byte[] stored = natives.db.get(platformMisses, key);
              PlatformMiss total =
                  stored == null
                      ? sighting
                      : RecordCodec.decodeMiss(sighting.index(), sighting.project(), stored)
                          .plus(sighting);
              batch.put(platformMisses, key, RecordCodec.encodeMiss(total));
            }
            natives.db.write(natives.bufferedWrites, batch);
          }
          return null;
        });
  }

  /** Every recorded platform miss, in key order (index, project, platform). */
  public List<PlatformMiss> listMisses() {
    List<PlatformMiss> result = new ArrayList<>();
    scanAll(
        "list platform misses",
        platformMisses,
        (key, value) -> {
          List<String> names = MetaKeys.split(key, 3);
          result.add(RecordCodec.decodeMiss(names.get(0), names.get(1), value));
          return true;
        });
    return Collections.unmodifiableList(result);
  }

  /**
   * The {@code limit} misses seen last, most recent first (ties by index, project, platform). Scans
   * every row but holds only {@code limit} of them.
   */
  public List<PlatformMiss> latestMisses(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit: " + limit);
    }
    // The heap's head is the row to drop first: the one seen longest ago.
    PriorityQueue<PlatformMiss> kept = new PriorityQueue<>(LATEST_MISS_FIRST.reversed());
    scanAll(
        "list latest platform misses",
        platformMisses,
        (key, value) -> {
          List<String> names = MetaKeys.split(key, 3);
          kept.add(RecordCodec.decodeMiss(names.get(0), names.get(1), value));
          if (kept.size() > limit) {
            kept.poll();
          }
          return true;
        });
    List<PlatformMiss> latest = new ArrayList<>(kept);
    latest.sort(LATEST_MISS_FIRST);
    return Collections.unmodifiableList(latest);
  }

  /**
   * Forgets the misses of one project, every platform.
   *
   * @return how many rows were removed
   */
  public int deleteMisses(String index, String project) {
    byte[] prefix = MetaKeys.projectPrefix(index, project);
    return mutate(
        "delete platform misses " + index + "/" + project,
        () -> {
          int[] removed = {0};
          try (WriteBatch batch = new WriteBatch()) {
            scan(
                platformMisses,
                prefix,
                false,
                (key, value) -> {
                  batch.delete(platformMisses, key);
                  removed[0]++;
                  return true;
                });
            if (removed[0] > 0) {
              natives.db.write(natives.syncWrites, batch);
            }
          }
          return removed[0];
        });
  }

  /** The files of a project, sorted by filename (UTF-8 byte order, i.e. code point order). */
  public List<FileRecord> listFiles(String index, String project) {
    byte[] prefix = MetaKeys.projectPrefix(index, project);
    List<FileRecord> result = new ArrayList<>();
    read(
        "list files",
        () -> {
          scan(
              files,
              prefix,
              true,
              (key, value) -> {
                result.add(decodeFile(key, value));
                return true;
              });
          return null;
        });
    return Collections.unmodifiableList(result);
  }

  /** The projects of an index, sorted by normalized name. */
  public List<ProjectRecord> listProjects(String index) {
    byte[] prefix = MetaKeys.indexPrefix(index);
    List<ProjectRecord> result = new ArrayList<>();
    read(
        "list projects",
        () -> {
          scan(
              projects,
              prefix,
              true,
              (key, value) -> {
                result.add(decodeProject(key, value));
                return true;
              });
          return null;
        });
    return Collections.unmodifiableList(result);
  }

  public Optional<ProjectRecord> getProject(String index, String project) {
    byte[] key = MetaKeys.project(index, project);
    byte[] value = read("get project", () -> natives.db.get(projects, key));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeProject(index, project, v));
  }

  /**
   * Yanks ({@code reason} present, possibly "") or un-yanks ({@code Optional.empty()}) a file and
   * updates its project's lastChanged.
   *
   * @return false if the file is unknown
   */
  public boolean setYanked(String index, String project, String filename, Optional<String> reason) {
    Objects.requireNonNull(reason, "reason");
    byte[] fileKey = MetaKeys.file(index, project, filename);
    return mutate(
        "set yanked " + index + "/" + project + "/" + filename,
        () -> {
          byte[] value = natives.db.get(files, fileKey);
          if (value == null) {
            return false;
          }
          FileRecord file = RecordCodec.decodeFile(index, project, filename, value);
          if (file.yanked().equals(reason)) {
            return true; // nothing changes: keep lastChanged, so caches stay valid
          }
          try (WriteBatch batch = new WriteBatch()) {
            batch.put(files, fileKey, RecordCodec.encodeFile(file.withYanked(reason)));
            touchProject(batch, index, project, project, clock.instant());
            natives.db.write(natives.syncWrites, batch);
          }
          return true;
        });
  }

  /**
   * Removes a file row and its provenance. The project row goes with its last file, otherwise its
   * lastChanged is updated. The blob rows stay: blobs are shared, garbage collection decides.
   *
   * @return false if the file is unknown
   */
  public boolean deleteFile(String index, String project, String filename) {
    byte[] fileKey = MetaKeys.file(index, project, filename);
    byte[] projectPrefix = MetaKeys.projectPrefix(index, project);
    return mutate(
        "delete file " + index + "/" + project + "/" + filename,
        () -> {
          byte[] existing = natives.db.get(files, fileKey);
          if (existing == null) {
            return false;
          }
          FileRecord old = RecordCodec.decodeFile(index, project, filename, existing);
          byte[] entryKey = MetaKeys.entry(new EntryRef.IndexFile(index, project, filename));
          boolean[] otherFiles = {false};
          scan(
              files,
              projectPrefix,
              true,
              (key, value) -> {
                otherFiles[0] = !Arrays.equals(key, fileKey);
                return !otherFiles[0];
              });
          try (WriteBatch batch = new WriteBatch()) {
            batch.delete(files, fileKey);
            deleteRefs(batch, entryKey, old.sha256(), old.coreMetadata());
            deleteProvenance(batch, fileKey, entryKey, describe(old));
            batch.delete(access, entryKey);
            if (otherFiles[0]) {
              touchProject(batch, index, project, project, clock.instant());
            } else {
              batch.delete(projects, MetaKeys.project(index, project));
            }
            natives.db.write(natives.syncWrites, batch);
          }
          return true;
        });
  }

  /**
   * Records a committed blob (e.g. a wheel's METADATA) that no file row created.
   *
   * @return false if the blob was already recorded; the first record is kept (blobs are immutable)
   */
  public boolean putBlob(BlobRecord blob) {
    Objects.requireNonNull(blob, "blob");
    byte[] key = MetaKeys.blob(blob.sha256());
    byte[] value = RecordCodec.encodeBlob(blob);
    return mutate(
        "put blob " + blob.sha256(),
        () -> {
          if (natives.db.get(blobs, key) != null) {
            return false;
          }
          natives.db.put(blobs, natives.syncWrites, key, value);
          totals = totals.plus(1, blob.size());
          return true;
        });
  }

  public Optional<BlobRecord> getBlob(Sha256 sha256) {
    byte[] value = read("get blob", () -> natives.db.get(blobs, MetaKeys.blob(sha256)));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeBlob(sha256, v));
  }

  /**
   * Removes a blob row. Does not check references: the caller (GC) deletes file rows first and the
   * blob file after this, so that no metadata ever points at a missing blob.
   *
   * @return false if the blob was not recorded
   */
  public boolean deleteBlob(Sha256 sha256) {
    byte[] key = MetaKeys.blob(sha256);
    return mutate(
        "delete blob " + sha256,
        () -> {
          byte[] value = natives.db.get(blobs, key);
          if (value == null) {
            return false;
          }
          long size = RecordCodec.decodeBlob(sha256, value).size();
          try (WriteBatch batch = new WriteBatch()) {
            batch.delete(blobs, key);
            batch.delete(blobChecks, key);
            natives.db.write(natives.syncWrites, batch);
          }
          totals = totals.plus(-1, -size);
          return true;
        });
  }

  /**
   * Records (replacing any previous one) the last answer of an upstream index for a project page.
   * Synced, like every write.
   */
  public void putUpstreamPage(UpstreamPage page) {
    Objects.requireNonNull(page, "page");
    byte[] key = MetaKeys.project(page.index(), page.project());
    byte[] value = RecordCodec.encodeUpstreamPage(page);
    // A blind put reads nothing first, so it needs no write mutex: only protection from close.
    read(
        "put upstream page " + page.index() + "/" + page.project(),
        () -> {
          natives.db.put(upstreamPages, natives.syncWrites, key, value);
          return null;
        });
  }

  public Optional<UpstreamPage> getUpstreamPage(String index, String project) {
    byte[] key = MetaKeys.project(index, project);
    byte[] value = read("get upstream page", () -> natives.db.get(upstreamPages, key));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeUpstreamPage(index, project, v));
  }

  /**
   * Visits the upstream pages of one index in project order, streaming: bodies can be large, so
   * only one is in memory at a time. Do not call {@link #close} from the action.
   */
  public void forEachUpstreamPage(String index, Consumer<UpstreamPage> action) {
    Objects.requireNonNull(action, "action");
    byte[] prefix = MetaKeys.indexPrefix(index);
    read(
        "scan upstream pages",
        () -> {
          scan(
              upstreamPages,
              prefix,
              false,
              (key, value) -> {
                action.accept(decodeUpstreamPage(key, value));
                return true;
              });
          return null;
        });
  }

  /**
   * Atomically records (replacing any previous record of the path) an apt file and its blob, if the
   * blob is not yet known. The caller has already committed the blob.
   */
  public void putAptFile(AptFileRecord file) {
    Objects.requireNonNull(file, "file");
    byte[] key = MetaKeys.project(file.mirror(), file.path());
    byte[] value = RecordCodec.encodeAptFile(file);
    byte[] blobKey = MetaKeys.blob(file.sha256());
    mutate(
        "put apt file " + file.mirror() + "/" + file.path(),
        () -> {
          boolean newBlob = natives.db.get(blobs, blobKey) == null;
          byte[] entryKey = MetaKeys.entry(new EntryRef.AptFile(file.mirror(), file.path()));
          byte[] previous = natives.db.get(aptFiles, key);
          try (WriteBatch batch = new WriteBatch()) {
            batch.put(aptFiles, key, value);
            if (previous != null) {
              AptFileRecord old = RecordCodec.decodeAptFile(file.mirror(), file.path(), previous);
              deleteRefs(batch, entryKey, old.sha256(), Optional.empty());
            }
            putRefs(batch, entryKey, file.sha256(), Optional.empty());
            if (newBlob) {
              BlobRecord blob = new BlobRecord(file.sha256(), file.size(), clock.instant());
              batch.put(blobs, blobKey, RecordCodec.encodeBlob(blob));
            }
            natives.db.write(natives.syncWrites, batch);
          }
          if (newBlob) {
            totals = totals.plus(1, file.size());
          }
          return null;
        });
  }

  public Optional<AptFileRecord> getAptFile(String mirror, String path) {
    byte[] value =
        read("get apt file", () -> natives.db.get(aptFiles, MetaKeys.project(mirror, path)));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeAptFile(mirror, path, v));
  }

  /**
   * Forgets an apt file (its blob row stays; GC decides about blobs).
   *
   * @return false if it was not recorded
   */
  public boolean deleteAptFile(String mirror, String path) {
    byte[] key = MetaKeys.project(mirror, path);
    return mutate(
        "delete apt file " + mirror + "/" + path,
        () -> {
          byte[] existing = natives.db.get(aptFiles, key);
          if (existing == null) {
            return false;
          }
          AptFileRecord old = RecordCodec.decodeAptFile(mirror, path, existing);
          byte[] entryKey = MetaKeys.entry(new EntryRef.AptFile(mirror, path));
          try (WriteBatch batch = new WriteBatch()) {
            batch.delete(aptFiles, key);
            deleteRefs(batch, entryKey, old.sha256(), Optional.empty());
            batch.delete(access, entryKey);
            natives.db.write(natives.syncWrites, batch);
          }
          return true;
        });
  }

  /** Visits every apt file row in key order, streaming. Do not call {@link #close} from it. */
  public void forEachAptFile(Consumer<AptFileRecord> action) {
    Objects.requireNonNull(action, "action");
    scanAll(
        "scan apt files",
        aptFiles,
        (key, value) -> {
          List<String> names = MetaKeys.split(key, 2);
          action.accept(RecordCodec.decodeAptFile(names.get(0), names.get(1), value));
          return true;
        });
  }

  /**
   * Records what an index says about pool files, replacing earlier statements about the same paths.
   * Written in batches of a few thousand rows, only the last one synced (which makes the earlier
   * ones durable too: they share the log): an index of 60k files costs one fsync, not fifteen. Each
   * batch is atomic; a crash in between leaves some rows from the new index and some from the old,
   * each a true statement of some index.
   */
  public void putAptExpected(Iterable<AptExpectedFile> expected) {
    Objects.requireNonNull(expected, "expected");
    List<AptExpectedFile> chunk = new ArrayList<>(EXPECTED_BATCH);
    for (AptExpectedFile file : expected) {
      if (chunk.size() == EXPECTED_BATCH) { // full, and more to come: the last one is synced
        writeExpected(chunk, false);
        chunk.clear();
      }
      chunk.add(file);
    }
    if (!chunk.isEmpty()) {
      writeExpected(chunk, true);
    }
  }

  private void writeExpected(List<AptExpectedFile> chunk, boolean sync) {
    read(
        "put apt expected files",
        () -> {
          try (WriteBatch batch = new WriteBatch()) {
            for (AptExpectedFile file : chunk) {
              batch.put(
                  aptExpected,
                  MetaKeys.project(file.mirror(), file.path()),
                  RecordCodec.encodeAptExpected(file));
            }
            natives.db.write(sync ? natives.syncWrites : natives.bufferedWrites, batch);
          }
          return null;
        });
  }

  public Optional<AptExpectedFile> getAptExpected(String mirror, String path) {
    byte[] value =
        read(
            "get apt expected file",
            () -> natives.db.get(aptExpected, MetaKeys.project(mirror, path)));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeAptExpected(mirror, path, v));
  }

  /** Whether any entry (a file, its METADATA, an apt file) holds this blob. */
  public boolean isReferenced(Sha256 sha256) {
    return !referrers(sha256, 1).isEmpty();
  }

  /** Up to {@code limit} entries holding this blob. */
  public List<EntryRef> referrers(Sha256 sha256, int limit) {
    byte[] prefix = sha256.bytes();
    List<EntryRef> found = new ArrayList<>();
    read(
        "scan blob references",
        () -> {
          scan(
              blobRefs,
              prefix,
              true,
              (key, value) -> {
                found.add(MetaKeys.entryRef(key, Sha256.BYTES));
                return found.size() < limit;
              });
          return null;
        });
    return found;
  }

  /**
   * Adds accesses counted in memory to the stored ones, in one unsynced batch: access times are
   * worth a batch now and then, not an fsync per request, and losing the last few in a crash costs
   * nothing but some precision in LRU order. Entries deleted meanwhile are skipped.
   */
  public void recordAccesses(Map<EntryRef, AccessCounts> counted) {
    Objects.requireNonNull(counted, "counted");
    if (counted.isEmpty()) {
      return;
    }
    mutate(
        "record accesses",
        () -> {
          try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<EntryRef, AccessCounts> entry : counted.entrySet()) {
              if (!exists(entry.getKey())) {
                continue;
              }
              byte[] key = MetaKeys.entry(entry.getKey());
              byte[] stored = natives.db.get(access, key);
              AccessCounts total =
                  stored == null
                      ? entry.getValue()
                      : RecordCodec.decodeAccess(entry.getKey().toString(), stored)
                          .plus(entry.getValue());
              batch.put(access, key, RecordCodec.encodeAccess(total));
            }
            natives.db.write(natives.bufferedWrites, batch);
          }
          return null;
        });
  }

  public Optional<AccessCounts> getAccess(EntryRef ref) {
    byte[] value = read("get access", () -> natives.db.get(access, MetaKeys.entry(ref)));
    return Optional.ofNullable(value).map(v -> RecordCodec.decodeAccess(ref.toString(), v));
  }

  /**
   * Deletes an entry's row (and its access and blob-reference rows) but never its blobs: the caller
   * deletes a blob afterwards, once {@link #isReferenced} says nothing else holds it, so that no
   * metadata ever points at a missing blob.
   *
   * @return false if the entry was not there
   */
  public boolean deleteEntry(EntryRef ref) {
    if (ref instanceof EntryRef.IndexFile file) {
      return deleteFile(file.index(), file.project(), file.filename());
    }
    EntryRef.AptFile apt = (EntryRef.AptFile) ref;
    return deleteAptFile(apt.mirror(), apt.path());
  }

  /**
   * Visits every entry (index files, then apt files) with its access counts, streaming: two ordered
   * iterators joined by key, so memory stays constant whatever the store's size. Do not call {@link
   * #close} from the action.
   */
  public void forEachEntry(Consumer<StoredEntry> action) {
    Objects.requireNonNull(action, "action");
    read(
        "scan entries",
        () -> {
          joinAccess(
              files,
              true,
              (key, value) -> {
                FileRecord file = decodeFile(key, value);
                return new Partial(
                    new EntryRef.IndexFile(file.index(), file.project(), file.filename()),
                    file.sha256(),
                    file.size(),
                    file.coreMetadata(),
                    file.uploadTime());
              },
              action);
          joinAccess(
              aptFiles,
              false,
              (key, value) -> {
                List<String> names = MetaKeys.split(key, 2);
                AptFileRecord apt = RecordCodec.decodeAptFile(names.get(0), names.get(1), value);
                return new Partial(
                    new EntryRef.AptFile(apt.mirror(), apt.path()),
                    apt.sha256(),
                    apt.size(),
                    Optional.empty(),
                    apt.fetchedAt());
              },
              action);
          return null;
        });
  }

  /** When a blob's bytes were last checked against its digest. */
  public Optional<Instant> getBlobCheck(Sha256 sha256) {
    byte[] value = read("get blob check", () -> natives.db.get(blobChecks, sha256.bytes()));
    return Optional.ofNullable(value)
        .map(v -> RecordCodec.decodeInstant("blob check " + sha256, v));
  }

  /** Records that a blob's bytes were checked at {@code when}; unsynced (a hint, not a fact). */
  public void putBlobCheck(Sha256 sha256, Instant when) {
    byte[] value = RecordCodec.encodeInstant(when);
    read(
        "put blob check",
        () -> {
          natives.db.put(blobChecks, natives.bufferedWrites, sha256.bytes(), value);
          return null;
        });
  }

  /** Count and bytes of recorded blobs, from memory: cheap enough for a metrics gauge. */
  public BlobTotals blobTotals() {
    return totals;
  }

  /** Visits every file row in key order, streaming. Do not call {@link #close} from the action. */
  public void forEachFile(Consumer<FileRecord> action) {
    Objects.requireNonNull(action, "action");
    scanAll(
        "scan files",
        files,
        (key, value) -> {
          action.accept(decodeFile(key, value));
          return true;
        });
  }

  /** Visits every blob row in key order, streaming. Do not call {@link #close} from the action. */
  public void forEachBlob(Consumer<BlobRecord> action) {
    Objects.requireNonNull(action, "action");
    scanAll(
        "scan blobs",
        blobs,
        (key, value) -> {
          action.accept(decodeBlob(key, value));
          return true;
        });
  }

  /** Flushes memtables and releases every native handle. Idempotent. */
  @Override
  public void close() {
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      // The synced WAL already holds every write; flushing just makes the next open faster.
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        natives.db.flush(flush, natives.handles);
      } catch (RocksDBException e) {
        log.warn("Flushing metadata store {} on close failed: {}", dir, e.getMessage());
      }
      natives.close();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface RocksAction<T> {
    T run() throws RocksDBException;
  }

  /** Visits one key; returns false to stop the scan. */
  @FunctionalInterface
  private interface Visitor {
    boolean visit(byte[] key, byte[] value) throws RocksDBException;
  }

  private <T> T read(String what, RocksAction<T> action) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("metadata store " + dir + " is closed");
      }
      return action.run();
    } catch (RocksDBException e) {
      String message = "metadata store " + dir + ": " + what + " failed: " + e.getMessage();
      throw new UncheckedIOException(message, new IOException(message, e));
    } finally {
      lock.unlock();
    }
  }

  private <T> T mutate(String what, RocksAction<T> action) {
    return read(
        what,
        () -> {
          synchronized (writeMutex) {
            return action.run();
          }
        });
  }

  /** Adds the project row, new or with lastChanged = now, to {@code batch}. */
  private void touchProject(
      WriteBatch batch, String index, String project, String displayName, Instant now)
      throws RocksDBException {
    byte[] key = MetaKeys.project(index, project);
    byte[] existing = natives.db.get(projects, key);
    String name =
        existing == null
            ? displayName
            : RecordCodec.decodeProject(index, project, existing).displayName();
    batch.put(
        projects, key, RecordCodec.encodeProject(new ProjectRecord(index, project, name, now)));
  }

  /**
   * Visits the keys starting with {@code prefix} in order. The upper bound lets RocksDB stop at the
   * end of the prefix instead of reading the next block. No prefix extractor is configured: names
   * vary in length, and a fixed-length extractor would make shorter-prefix scans unreliable.
   */
  /** Visits every row of {@code cf} in key order, streaming, without filling the block cache. */
  private void scanAll(String what, ColumnFamilyHandle cf, Visitor visitor) {
    read(
        what,
        () -> {
          scan(cf, EVERYTHING, false, visitor);
          return null;
        });
  }

  private void scan(ColumnFamilyHandle cf, byte[] prefix, boolean fillCache, Visitor visitor)
      throws RocksDBException {
    byte[] upper = MetaKeys.upperBound(prefix);
    try (Slice bound = upper == null ? null : new Slice(upper);
        ReadOptions options = new ReadOptions().setFillCache(fillCache)) {
      if (bound != null) {
        options.setIterateUpperBound(bound);
      }
      try (RocksIterator it = natives.db.newIterator(cf, options)) {
        for (it.seek(prefix); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (!MetaKeys.startsWith(key, prefix) || !visitor.visit(key, it.value())) {
            break;
          }
        }
        it.status(); // throws if the scan ended on an error rather than at the end
      }
    }
  }

  private static FileRecord decodeFile(byte[] key, byte[] value) {
    List<String> names = MetaKeys.split(key, 3);
    return RecordCodec.decodeFile(names.get(0), names.get(1), names.get(2), value);
  }

  private static ProjectRecord decodeProject(byte[] key, byte[] value) {
    List<String> names = MetaKeys.split(key, 2);
    return RecordCodec.decodeProject(names.get(0), names.get(1), value);
  }

  private static UpstreamPage decodeUpstreamPage(byte[] key, byte[] value) {
    List<String> names = MetaKeys.split(key, 2);
    return RecordCodec.decodeUpstreamPage(names.get(0), names.get(1), value);
  }

  private static BlobRecord decodeBlob(byte[] key, byte[] value) {
    return RecordCodec.decodeBlob(MetaKeys.blobSha(key), value);
  }

  private static String describe(FileRecord file) {
    return file.index() + "/" + file.project() + "/" + file.filename();
  }

  private static EntryRef entryOf(FileRecord file) {
    return new EntryRef.IndexFile(file.index(), file.project(), file.filename());
  }

  private void putRefs(WriteBatch batch, byte[] entryKey, Sha256 main, Optional<Sha256> extra)
      throws RocksDBException {
    batch.put(blobRefs, MetaKeys.blobRef(main, entryKey), new byte[0]);
    if (extra.isPresent()) {
      batch.put(blobRefs, MetaKeys.blobRef(extra.get(), entryKey), new byte[0]);
    }
  }

  private void putProvenance(WriteBatch batch, byte[] fileKey, byte[] entryKey, Provenance built)
      throws RocksDBException {
    batch.put(provenance, fileKey, RecordCodec.encodeProvenance(built));
    if (built.buildLog().isPresent()) {
      batch.put(blobRefs, MetaKeys.blobRef(built.buildLog().get(), entryKey), new byte[0]);
    }
  }

  /** Adds the removal of a file's provenance row, and of its build log's reference, if any. */
  private void deleteProvenance(WriteBatch batch, byte[] fileKey, byte[] entryKey, String what)
      throws RocksDBException {
    byte[] stored = natives.db.get(provenance, fileKey);
    if (stored == null) {
      return;
    }
    batch.delete(provenance, fileKey);
    Optional<Sha256> log = RecordCodec.decodeProvenance(what, stored).buildLog();
    if (log.isPresent()) {
      batch.delete(blobRefs, MetaKeys.blobRef(log.get(), entryKey));
    }
  }

  private void deleteRefs(WriteBatch batch, byte[] entryKey, Sha256 main, Optional<Sha256> extra)
      throws RocksDBException {
    batch.delete(blobRefs, MetaKeys.blobRef(main, entryKey));
    if (extra.isPresent()) {
      batch.delete(blobRefs, MetaKeys.blobRef(extra.get(), entryKey));
    }
  }

  private boolean exists(EntryRef ref) throws RocksDBException {
    if (ref instanceof EntryRef.IndexFile file) {
      return natives.db.get(files, MetaKeys.file(file.index(), file.project(), file.filename()))
          != null;
    }
    EntryRef.AptFile apt = (EntryRef.AptFile) ref;
    return natives.db.get(aptFiles, MetaKeys.project(apt.mirror(), apt.path())) != null;
  }

  /** Blob references for every entry, for a store written before they were kept. */
  private void rebuildBlobRefs() {
    long[] count = {0};
    read(
        "rebuild blob references",
        () -> {
          try (WriteBatch batch = new WriteBatch()) {
            scan(
                files,
                EVERYTHING,
                false,
                (key, value) -> {
                  FileRecord file = decodeFile(key, value);
                  putRefs(batch, MetaKeys.entry(entryOf(file)), file.sha256(), file.coreMetadata());
                  count[0]++;
                  return true;
                });
            scan(
                aptFiles,
                EVERYTHING,
                false,
                (key, value) -> {
                  List<String> names = MetaKeys.split(key, 2);
                  AptFileRecord apt = RecordCodec.decodeAptFile(names.get(0), names.get(1), value);
                  putRefs(
                      batch,
                      MetaKeys.entry(new EntryRef.AptFile(apt.mirror(), apt.path())),
                      apt.sha256(),
                      Optional.empty());
                  count[0]++;
                  return true;
                });
            natives.db.write(natives.syncWrites, batch);
          }
          return null;
        });
    log.info("Recorded blob references of {} entries in {}", count[0], dir);
  }

  /** The fields of an entry read from its own family, before its access counts are joined. */
  private record Partial(
      EntryRef ref, Sha256 sha256, long size, Optional<Sha256> extra, Instant stored) {}

  private interface EntryDecoder {
    Partial decode(byte[] key, byte[] value);
  }

  /**
   * Walks {@code family} and the access rows of the same kind together: both are ordered by the
   * same key (the access key is a kind byte plus the entry's key), so each entry's counts are found
   * by advancing the second iterator, never by a lookup.
   */
  private void joinAccess(
      ColumnFamilyHandle family,
      boolean indexFiles,
      EntryDecoder decoder,
      Consumer<StoredEntry> action)
      throws RocksDBException {
    byte[] kind = MetaKeys.entryKindPrefix(indexFiles);
    byte[] upper = MetaKeys.upperBound(kind);
    try (ReadOptions mainOptions = new ReadOptions().setFillCache(false);
        Slice bound = new Slice(upper);
        ReadOptions accessOptions =
            new ReadOptions().setFillCache(false).setIterateUpperBound(bound);
        RocksIterator entries = natives.db.newIterator(family, mainOptions);
        RocksIterator counts = natives.db.newIterator(access, accessOptions)) {
      counts.seek(kind);
      for (entries.seekToFirst(); entries.isValid(); entries.next()) {
        byte[] key = entries.key();
        Partial partial = decoder.decode(key, entries.value());
        Optional<AccessCounts> found = Optional.empty();
        while (counts.isValid()) {
          int order = Arrays.compare(counts.key(), 1, counts.key().length, key, 0, key.length);
          if (order < 0) {
            counts.next(); // counts of an entry deleted since: skipped
          } else {
            if (order == 0) {
              found =
                  Optional.of(RecordCodec.decodeAccess(partial.ref().toString(), counts.value()));
            }
            break;
          }
        }
        action.accept(
            new StoredEntry(
                partial.ref(),
                partial.sha256(),
                partial.size(),
                partial.extra(),
                partial.stored(),
                found.map(AccessCounts::last),
                found.map(AccessCounts::hits).orElse(0L)));
      }
      entries.status();
      counts.status();
    }
  }

  private void checkSchema() throws RocksDBException, IOException {
    ColumnFamilyHandle defaultCf = natives.handle(DEFAULT_CF);
    byte[] stored = natives.db.get(defaultCf, SCHEMA_KEY);
    if (stored == null) {
      byte[] value = ByteBuffer.allocate(Integer.BYTES).putInt(SCHEMA_VERSION).array();
      natives.db.put(defaultCf, natives.syncWrites, SCHEMA_KEY, value);
      return;
    }
    int version = stored.length == Integer.BYTES ? ByteBuffer.wrap(stored).getInt() : -1;
    if (version != SCHEMA_VERSION) {
      throw new IOException(
          "metadata store "
              + dir
              + " has schema version "
              + version
              + "; this build supports version "
              + SCHEMA_VERSION);
    }
  }

  private BlobTotals scanBlobTotals() throws RocksDBException {
    long[] countAndBytes = new long[2];
    scan(
        blobs,
        EVERYTHING,
        false,
        (key, value) -> {
          countAndBytes[0]++;
          countAndBytes[1] += decodeBlob(key, value).size();
          return true;
        });
    return new BlobTotals(countAndBytes[0], countAndBytes[1]);
  }

  private static void loadNativeLibrary() throws IOException {
    try {
      RocksDB.loadLibrary(); // idempotent and cheap once loaded
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new IOException(
          "cannot load the RocksDB native library (is a rocksdbjni jar with this platform's"
              + " library on the classpath?): "
              + e.getMessage(),
          e);
    }
  }

  private static Set<String> existingFamilies(Path dir) throws RocksDBException {
    Set<String> names = new LinkedHashSet<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        names.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    return names;
  }

  /** Ours plus any that exist: RocksDB refuses to open a database without all of its families. */
  private static List<String> columnFamilyNames(Path dir) throws RocksDBException {
    Set<String> names =
        new LinkedHashSet<>(
            List.of(
                DEFAULT_CF,
                BLOBS_CF,
                FILES_CF,
                PROJECTS_CF,
                UPSTREAM_PAGES_CF,
                APT_FILES_CF,
                APT_EXPECTED_CF,
                BLOB_REFS_CF,
                ACCESS_CF,
                BLOB_CHECKS_CF,
                PROVENANCE_CF,
                PLATFORM_MISSES_CF));
    if (Files.exists(dir.resolve("CURRENT"))) {
      try (Options options = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
          names.add(new String(name, StandardCharsets.UTF_8));
        }
      }
    }
    return List.copyOf(names);
  }

  private static IOException openFailure(Path dir, RocksDBException e) {
    String detail = String.valueOf(e.getMessage());
    if (detail.toLowerCase(Locale.ROOT).contains("lock")) {
      return new IOException(
          "metadata store "
              + dir
              + " is locked by another process (or already open in this one): "
              + detail,
          e);
    }
    return new IOException("cannot open metadata store " + dir + ": " + detail, e);
  }

  /** The native objects behind the store, released in dependency order. */
  private static final class Natives implements AutoCloseable {
    final BloomFilter bloom = new BloomFilter(10);
    // Bloom filters make point lookups of absent keys (a new blob, a new file) cheap.
    final ColumnFamilyOptions columnFamilyOptions =
        new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom));
    final DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setKeepLogFileNum(5);
    final WriteOptions syncWrites = new WriteOptions().setSync(true);
    // For bulk writes whose last batch is synced: a synced write syncs the whole log before it.
    final WriteOptions bufferedWrites = new WriteOptions().setSync(false);
    final List<ColumnFamilyHandle> handles = new ArrayList<>();
    final Map<String, ColumnFamilyHandle> byName = new LinkedHashMap<>();
    RocksDB db;

    void open(Path dir, List<String> names) throws RocksDBException {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : names) {
        descriptors.add(
            new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
      }
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      for (int i = 0; i < names.size(); i++) {
        byName.put(names.get(i), handles.get(i));
      }
    }

    ColumnFamilyHandle handle(String name) {
      return Objects.requireNonNull(byName.get(name), name);
    }

    /** Handles before the database, options after it: the database uses them until it closes. */
    @Override
    public void close() {
      handles.forEach(ColumnFamilyHandle::close);
      if (db != null) {
        try {
          db.closeE();
        } catch (RocksDBException e) {
          log.warn("Closing RocksDB failed: {}", e.getMessage());
        }
      }
      syncWrites.close();
      bufferedWrites.close();
      dbOptions.close();
      columnFamilyOptions.close();
      bloom.close();
    }
  }
}
