package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-hashes stored blobs to find bytes that rotted on disk, and takes corrupt ones out of service.
 *
 * <p>Visits recorded blobs in digest order ({@link MetadataStore#forEachBlob}) and hashes each
 * selected file streaming, in 64 KiB chunks. A good blob gets its check time recorded ({@link
 * MetadataStore#putBlobCheck}). A corrupt one is moved to {@code quarantineDir/<sha256>} first, so
 * that no client gets its bytes any more and a new download of the same file cannot be mistaken for
 * it (the blob store keeps an existing file rather than writing identical bytes again); then every
 * entry holding it is dropped ({@code onDropped} tells the server to forget cached pages), then its
 * blob row. The next request for a proxied file fetches it again; a hosted file is gone and must be
 * uploaded again, which is logged as an error.
 *
 * <p>If a crash interrupts a quarantine after the move, the next run finds the recorded blob
 * missing but quarantined and finishes the job. Blob files no row records are the {@link
 * GarbageCollector}'s business and are not checked. Only one prune, garbage collection or
 * verification runs at a time (see {@link LifecycleLock}).
 */
public final class Verifier {
  private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

  /** Most corrupt blobs a report details. */
  public static final int REPORT_LIMIT = 1000;

  private static final int CHUNK_SIZE = 64 * 1024;
  private static final int PROGRESS_EVERY = 1024;

  private final MetadataStore meta;
  private final FileBlobStore blobs;
  private final Clock clock;
  private final Path quarantineDir;
  private final Consumer<EntryRef> onDropped;
  private final LifecycleLock lock;

  /**
   * A verifier with its own lock; a server passes the {@link LifecycleLock} it shares with its
   * pruner and garbage collector instead.
   *
   * @param quarantineDir where corrupt blobs go; on the blobs' file system, so moves are atomic
   * @param onDropped called after each entry holding a corrupt blob is deleted
   */
  public Verifier(
      MetadataStore meta,
      FileBlobStore blobs,
      Clock clock,
      Path quarantineDir,
      Consumer<EntryRef> onDropped) {
    this(meta, blobs, clock, quarantineDir, onDropped, new LifecycleLock());
  }

  /** A verifier that runs only when {@code lock} is free. */
  public Verifier(
      MetadataStore meta,
      FileBlobStore blobs,
      Clock clock,
      Path quarantineDir,
      Consumer<EntryRef> onDropped,
      LifecycleLock lock) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.quarantineDir = quarantineDir.toAbsolutePath().normalize();
    this.onDropped = Objects.requireNonNull(onDropped, "onDropped");
    this.lock = Objects.requireNonNull(lock, "lock");
  }

  /**
   * Checks the blobs {@code options} select. Blocking; reads every selected byte.
   *
   * @throws IllegalStateException if a prune, garbage collection or verification is running
   */
  public VerifyReport run(VerifyOptions options, ProgressListener progress) throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    try (LifecycleLock.Held held = lock.acquire("verification")) {
      Run run = new Run(options, progress);
      try {
        meta.forEachBlob(
            blob -> {
              try {
                run.visit(blob);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      progress.progress("verify", run.checked, run.checked);
      VerifyReport report =
          new VerifyReport(
              run.checked,
              run.bytesChecked,
              run.corrupt,
              run.corruptBlobs,
              run.entriesDropped,
              clock.millis() - run.startMillis);
      LOG.info(
          "Verification: {} blobs checked ({} bytes), {} corrupt, {} entries dropped",
          report.checked(),
          report.bytesChecked(),
          report.corrupt(),
          report.entriesDropped());
      return report;
    }
  }

  /** One run's selection and counters. */
  private final class Run {
    final long startMillis = clock.millis();
    final long quota;
    final Optional<Instant> checkedSince;
    final ProgressListener progress;
    final List<CorruptBlob> corruptBlobs = new ArrayList<>();
    long checked;
    long bytesChecked;
    long corrupt;
    long entriesDropped;

    Run(VerifyOptions options, ProgressListener progress) {
      this.progress = progress;
      long total = meta.blobTotals().count();
      // Rounded up, so that a small sample of a small store still checks something.
      this.quota =
          options.sample() >= 1.0 ? Long.MAX_VALUE : (long) Math.ceil(options.sample() * total);
      Instant now = clock.instant();
      this.checkedSince = options.uncheckedFor().map(now::minus);
    }

    void visit(BlobRecord blob) throws IOException {
      if (checked >= quota) {
        return; // the store offers no early stop; skipping the rest of the keys is cheap
      }
      Sha256 sha = blob.sha256();
      if (checkedSince.isPresent()) {
        Optional<Instant> last = meta.getBlobCheck(sha);
        if (last.isPresent() && !last.get().isBefore(checkedSince.get())) {
          return; // checked recently enough
        }
      }
      Path path = blobs.pathOf(sha);
      Digested digested;
      try {
        digested = digest(path);
      } catch (NoSuchFileException e) {
        missing(sha);
        return;
      }
      checked++;
      bytesChecked += digested.size();
      if (checked % PROGRESS_EVERY == 0) {
        progress.progress("verify", checked, quota == Long.MAX_VALUE ? -1 : quota);
      }
      if (digested.sha256().equals(sha)) {
        meta.putBlobCheck(sha, clock.instant());
        return;
      }
      Path quarantined = quarantine(path, sha);
      drop(sha, digested.sha256().hex(), quarantined);
    }

    /** A recorded blob without a file: a quarantine a crash interrupted, or lost bytes. */
    private void missing(Sha256 sha) throws IOException {
      Path earlier = quarantineDir.resolve(sha.hex());
      if (!Files.isRegularFile(earlier)) {
        LOG.warn(
            "Blob {} is recorded but its file {} is missing; run the consistency check",
            sha,
            blobs.pathOf(sha));
        return;
      }
      Sha256 actual = digest(earlier).sha256();
      if (actual.equals(sha)) {
        LOG.warn("Blob {} is missing but an intact copy is in {}", sha, earlier);
        return;
      }
      LOG.warn("Blob {} was quarantined but its entries were not dropped; dropping them now", sha);
      drop(sha, actual.hex(), earlier);
    }

    /** Drops the entries holding a quarantined blob, then its row (metadata before blob). */
    private void drop(Sha256 sha, String actual, Path quarantined) {
      List<EntryRef> holders = meta.referrers(sha, Integer.MAX_VALUE);
      List<String> names = new ArrayList<>();
      for (EntryRef ref : holders) {
        names.add(ref.toString());
        if (meta.deleteEntry(ref)) {
          entriesDropped++;
          try {
            onDropped.accept(ref);
          } catch (RuntimeException e) {
            LOG.warn("Invalidating caches after dropping {} failed: {}", ref, e.toString());
          }
        }
      }
      meta.deleteBlob(sha);
      corrupt++;
      if (corruptBlobs.size() < REPORT_LIMIT) {
        corruptBlobs.add(new CorruptBlob(sha.hex(), actual, names, quarantined.toString()));
      }
      LOG.error(
          "Blob {} is corrupt (its bytes hash to {}); moved to {} and dropped {}: proxied files"
              + " are fetched again on the next request, hosted files must be uploaded again",
          sha,
          actual,
          quarantined,
          names.isEmpty() ? "no entries" : names);
    }
  }

  /** Moves a corrupt blob file out of the store, atomically when the file system allows. */
  private Path quarantine(Path path, Sha256 sha) throws IOException {
    Files.createDirectories(quarantineDir);
    Path target = quarantineDir.resolve(sha.hex());
    // Keep earlier quarantined copies of the same digest: they may be different bad bytes.
    for (int n = 1; Files.exists(target); n++) {
      target = quarantineDir.resolve(sha.hex() + "." + n);
    }
    try {
      Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      LOG.warn(
          "Quarantine {} is on another file system than the blobs; copying {} instead of renaming",
          quarantineDir,
          sha);
      Files.move(path, target);
    }
    return target;
  }

  /** Hashes a file streaming: memory stays at one chunk whatever its size. */
  private static Digested digest(Path path) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[CHUNK_SIZE];
    long size = 0;
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    return new Digested(Sha256.fromBytes(digest.digest()), size);
  }

  private record Digested(Sha256 sha256, long size) {}
}
