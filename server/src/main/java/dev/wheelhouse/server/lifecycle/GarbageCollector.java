package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes blob files no entry holds (orphans) and temp files left behind, once they are older than
 * a grace period.
 *
 * <p>Orphans come from prunes that found a blob in use, crashes between deleting an entry and its
 * blob, and failed writes. Some blobs legitimately have no entry, e.g. a proxied {@code
 * .whl.metadata} fetched on its own: deleting those is harmless, they are fetched again on demand.
 *
 * <p>Why a grace period: upload and proxy code commit a blob first and record its entry after, so a
 * blob committed a moment ago may not be referenced yet. A blob counts as young, and stays, if
 * either its file's modification time or its blob row's creation time is within the grace period.
 * The file time alone is not enough: committing bytes that already exist keeps the old file (and
 * its old time), so a re-upload of an orphan's bytes is protected only by its new row, which comes
 * with the entry; the row time alone is not enough either, as a freshly committed blob has no row
 * yet. Blobs being downloaded ({@link BlobLeases}) and referenced blobs are never deleted.
 *
 * <p>Streams the blob directory: memory stays flat whatever the store's size. Only one prune,
 * garbage collection or verification runs at a time (see {@link LifecycleLock}).
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final int PROGRESS_EVERY = 4096;

  private final MetadataStore meta;
  private final FileBlobStore blobs;
  private final BlobLeases leases;
  private final Clock clock;
  private final Duration grace;
  private final LifecycleLock lock;

  /**
   * A collector with its own lock; a server passes the {@link LifecycleLock} it shares with its
   * pruner and verifier instead.
   *
   * @param grace how old an unreferenced blob or temp file must be to go; longer than any upload or
   *     proxy download takes between committing a blob and recording it
   */
  public GarbageCollector(
      MetadataStore meta, FileBlobStore blobs, BlobLeases leases, Clock clock, Duration grace) {
    this(meta, blobs, leases, clock, grace, new LifecycleLock());
  }

  /** A collector that runs only when {@code lock} is free. */
  public GarbageCollector(
      MetadataStore meta,
      FileBlobStore blobs,
      BlobLeases leases,
      Clock clock,
      Duration grace,
      LifecycleLock lock) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.lock = Objects.requireNonNull(lock, "lock");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("negative grace: " + grace);
    }
  }

  /**
   * Finds orphan blobs and stale temp files and, if {@code apply}, deletes them. Blocking.
   *
   * @throws IllegalStateException if a prune, garbage collection or verification is running
   */
  public GcReport run(boolean apply, ProgressListener progress) throws IOException {
    Objects.requireNonNull(progress, "progress");
    try (LifecycleLock.Held held = lock.acquire("garbage collection")) {
      long startMillis = clock.millis();
      Instant cutoff = clock.instant().minus(grace);
      long[] counts = new long[4]; // scanned, orphans, orphan bytes, removed
      try (Stream<Sha256> stored = blobs.list()) {
        stored.forEach(
            sha -> {
              try {
                collect(sha, cutoff, apply, counts);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              if (counts[0] % PROGRESS_EVERY == 0) {
                progress.progress("blobs", counts[0], -1);
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      progress.progress("blobs", counts[0], counts[0]);
      long temp = sweepTemp(cutoff, apply);
      progress.progress("temp", temp, temp);
      GcReport report =
          new GcReport(
              apply,
              counts[0],
              counts[1],
              counts[2],
              counts[3],
              temp,
              clock.millis() - startMillis);
      LOG.info(
          "Garbage collection {}: {} of {} blobs orphaned ({} bytes), {} removed; {} stale temp"
              + " files",
          apply ? "applied" : "dry run",
          report.orphanBlobs(),
          report.blobsScanned(),
          report.orphanBytes(),
          report.removedBlobs(),
          report.removedTempFiles());
      return report;
    }
  }

  private void collect(Sha256 sha, Instant cutoff, boolean apply, long[] counts)
      throws IOException {
    counts[0]++;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(blobs.pathOf(sha), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return; // deleted since it was listed
    }
    if (!attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
      return; // young: its entry may not be recorded yet
    }
    if (meta.isReferenced(sha)) {
      return;
    }
    Optional<BlobRecord> record = meta.getBlob(sha);
    if (record.isPresent() && !record.get().created().isBefore(cutoff)) {
      return; // recorded recently: an entry may be on its way (see the class comment)
    }
    // Checked last, right before deleting: a download may have started during the checks above.
    if (leases.isLeased(sha)) {
      return;
    }
    counts[1]++;
    counts[2] += attributes.size();
    if (!apply) {
      return;
    }
    if (record.isPresent()) {
      meta.deleteBlob(sha); // row before file: a crash leaves an orphan file, never a dangling row
    }
    if (blobs.deleteUnlessRecommitted(sha)) {
      counts[3]++;
    } else {
      // Stored again a moment ago by a writer about to record it: not garbage after all.
      record.ifPresent(meta::putBlob);
    }
  }

  /** Counts, and if {@code apply} deletes, temp files older than the cutoff. */
  private long sweepTemp(Instant cutoff, boolean apply) throws IOException {
    Path root = blobs.tempDir();
    long[] stale = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          // Whether each directory being walked was old before this sweep deleted anything in it.
          private final Deque<Boolean> oldDirs = new ArrayDeque<>();

          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            oldDirs.push(attrs.lastModifiedTime().toInstant().isBefore(cutoff));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // Young files are uploads and downloads in progress: their writers still need them.
            if (attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
              stale[0]++;
              if (apply) {
                Files.deleteIfExists(file);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // finished and moved away meanwhile
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            boolean old = oldDirs.pop();
            if (e != null) {
              throw e;
            }
            // An old directory had nothing created in it for the grace period: safe once empty.
            if (apply && old && !dir.equals(root)) {
              deleteIfEmpty(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return stale[0];
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      // Still in use, or gone already: either way nothing to do.
    }
  }
}
