package dev.wheelhouse.server.bench;

import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fills a data directory for {@code bench/prune-1m.sh}: {@code BLOBS} small blobs and {@code
 * ENTRIES} file entries over them (each blob held by about ENTRIES / BLOBS entries), through the
 * stores' public API only, as the server would write them.
 *
 * <p>Usage: {@code StoreFiller DATA_DIR ENTRIES BLOBS}. Projects hold 20 files each; every 20th
 * project is in the hosted index {@code local}, the others in the proxy index {@code pypi}. Upload
 * times spread over the last year; a third of the entries have a recorded download in the last 30
 * days. Deterministic (fixed seed) except for the times, which are relative to now. Blob files and
 * blob rows are dated two days back, past the garbage collector's grace period, so that a dry-run
 * collection checks every blob rather than skipping them all as young.
 *
 * <p>{@link MetadataStore#putFile} syncs RocksDB's log on every call: about one fsync per entry. On
 * a disk that takes minutes per hundred thousand entries, so the script puts the data directory on
 * tmpfs, where an fsync costs next to nothing.
 */
public final class StoreFiller {
  static final int FILES_PER_PROJECT = 20;
  static final int HOSTED_EVERY = 20;

  private StoreFiller() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: StoreFiller DATA_DIR ENTRIES BLOBS");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int entries = Integer.parseInt(args[1]);
    int blobCount = Integer.parseInt(args[2]);
    SplittableRandom random = new SplittableRandom(1);
    Instant now = Instant.now();
    Instant committed = now.minus(Duration.ofDays(2));
    long started = System.nanoTime();
    try (FileBlobStore blobs = FileBlobStore.open(data);
        MetadataStore meta =
            MetadataStore.open(data.resolve("meta"), Clock.fixed(committed, ZoneOffset.UTC))) {
      Sha256[] shas = new Sha256[blobCount];
      long[] sizes = new long[blobCount];
      for (int b = 0; b < blobCount; b++) {
        byte[] bytes = new byte[256 + random.nextInt(1792)];
        random.nextBytes(bytes);
        shas[b] = blobs.put(new ByteArrayInputStream(bytes), Optional.empty()).sha256();
        Files.setLastModifiedTime(blobs.pathOf(shas[b]), FileTime.from(committed));
        sizes[b] = bytes.length;
        if ((b + 1) % 20_000 == 0) {
          progress("blobs", b + 1, blobCount, started);
        }
      }
      double blobSeconds = seconds(started);
      long entriesStarted = System.nanoTime();
      Map<EntryRef, AccessCounts> accesses = new HashMap<>();
      for (int i = 0; i < entries; i++) {
        int projectNumber = i / FILES_PER_PROJECT;
        String project = String.format(Locale.ROOT, "p%06d", projectNumber);
        String index = projectNumber % HOSTED_EVERY == 0 ? "local" : "pypi";
        String version = "1." + (i % FILES_PER_PROJECT);
        String filename = project + "-" + version + "-py3-none-any.whl";
        // A multiplicative spread: neighbours hold different blobs, every blob is held.
        int b = (int) ((long) i * 7919 % blobCount);
        Instant uploaded = now.minus(Duration.ofSeconds(random.nextLong(365L * 24 * 3600)));
        meta.putFile(
            new FileRecord(
                index,
                project,
                filename,
                version,
                shas[b],
                sizes[b],
                uploaded,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of()),
            project);
        if (random.nextInt(3) == 0) {
          Instant used = now.minus(Duration.ofSeconds(random.nextLong(30L * 24 * 3600)));
          accesses.put(
              new EntryRef.IndexFile(index, project, filename),
              new AccessCounts(used, 1 + random.nextInt(50)));
          if (accesses.size() >= 10_000) {
            meta.recordAccesses(accesses);
            accesses.clear();
          }
        }
        if ((i + 1) % 100_000 == 0) {
          progress("entries", i + 1, entries, entriesStarted);
        }
      }
      meta.recordAccesses(accesses);
      double entrySeconds = seconds(entriesStarted);
      System.out.printf(
          Locale.ROOT,
          "filled %s: %d blobs in %.1f s (%.0f/s), %d entries in %.1f s (%.0f/s, putFile synced"
              + " per call)%n",
          data,
          blobCount,
          blobSeconds,
          blobCount / blobSeconds,
          entries,
          entrySeconds,
          entries / entrySeconds);
    }
  }

  private static void progress(String what, int done, int total, long started) {
    System.out.printf(Locale.ROOT, "  %s: %d / %d (%.1f s)%n", what, done, total, seconds(started));
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
