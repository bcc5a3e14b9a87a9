package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.apt.index.Compression;
import dev.wheelhouse.server.apt.index.IndexFileKind;
import dev.wheelhouse.server.apt.index.PackagesScanner;
import dev.wheelhouse.server.apt.index.PoolFile;
import dev.wheelhouse.server.apt.index.SourcesScanner;
import dev.wheelhouse.storage.AptExpectedFile;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns from a Packages or Sources index passing through the cache what each pool file must be
 * (SHA256 and Size), so that a download that differs is never served. Streams the index: Debian's
 * main Packages lists ~60k files.
 */
final class PoolExpectations {
  private static final Logger LOG = LoggerFactory.getLogger(PoolExpectations.class);
  private static final int BATCH = 4096;

  private final MetadataStore meta;
  private final Executor executor;
  // Per mirror, the last index read scheduled: reads of one mirror run one after the other.
  private final ConcurrentMap<String, CompletableFuture<Void>> reading = new ConcurrentHashMap<>();

  PoolExpectations(MetadataStore meta, Executor executor) {
    this.meta = meta;
    this.executor = executor;
  }

  /**
   * {@link #learn} in the background: the index is served at once, and the pool downloads that
   * follow wait for it in {@link #awaitReading}.
   */
  void learnLater(AptMirror mirror, String archiveRoot, String indexPath, Path blob) {
    if (!isPoolIndex(indexPath)) {
      return;
    }
    reading.compute(
        mirror.name(),
        (name, previous) ->
            (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .handle((ok, failure) -> (Void) null)
                .thenRunAsync(() -> learn(mirror, archiveRoot, indexPath, blob), executor));
  }

  /** Waits, at most {@code timeout}, for the indexes of {@code mirror} being read. */
  void awaitReading(String mirror, Duration timeout) {
    CompletableFuture<Void> pending = reading.get(mirror);
    if (pending == null || pending.isDone()) {
      return;
    }
    try {
      pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{}: reading indexes for pool digests did not finish: {}", mirror, e.toString());
    }
  }

  private static boolean isPoolIndex(String indexPath) {
    IndexFileKind kind = IndexFileKind.of(indexPath);
    return kind == IndexFileKind.PACKAGES || kind == IndexFileKind.SOURCES;
  }

  /**
   * Reads {@code index} (stored at {@code blob}) if it is a Packages or Sources index; files are
   * named relative to {@code archiveRoot}. Failures are logged: the index is still served.
   */
  void learn(AptMirror mirror, String archiveRoot, String indexPath, Path blob) {
    IndexFileKind kind = IndexFileKind.of(indexPath);
    if (!isPoolIndex(indexPath)) {
      return;
    }
    List<AptExpectedFile> batch = new ArrayList<>(BATCH);
    long[] count = {0};
    Consumer<PoolFile> collect =
        file -> {
          if (file.sha256().isEmpty() || !Sha256.isValid(file.sha256().get())) {
            return;
          }
          String path = file.path().startsWith("./") ? file.path().substring(2) : file.path();
          batch.add(
              new AptExpectedFile(
                  mirror.name(), archiveRoot + path, Sha256.of(file.sha256().get()), file.size()));
          count[0]++;
          if (batch.size() == BATCH) {
            meta.putAptExpected(batch);
            batch.clear();
          }
        };
    try (InputStream in = Compression.ofPath(indexPath).decompress(Files.newInputStream(blob))) {
      if (kind == IndexFileKind.PACKAGES) {
        PackagesScanner.scan(in, collect);
      } else {
        SourcesScanner.scan(in, collect);
      }
      meta.putAptExpected(batch);
      LOG.debug("{}: {} lists {} files", mirror.name(), indexPath, count[0]);
    } catch (IOException | RuntimeException e) {
      meta.putAptExpected(batch);
      LOG.warn(
          "{}: cannot read {} for pool digests ({} learnt): {}",
          mirror.name(),
          indexPath,
          count[0],
          e.toString());
    }
  }
}
