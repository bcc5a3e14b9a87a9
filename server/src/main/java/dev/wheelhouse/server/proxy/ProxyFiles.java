package dev.wheelhouse.server.proxy;

import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.server.archive.ArchiveInspector;
import dev.wheelhouse.server.files.FileLocator;
import dev.wheelhouse.server.files.FileRequest;
import dev.wheelhouse.server.files.FileSource;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.proxy.fill.Fill;
import dev.wheelhouse.server.proxy.fill.FillCoordinator;
import dev.wheelhouse.server.proxy.fill.UpstreamBody;
import dev.wheelhouse.server.proxy.fill.UpstreamOpener;
import dev.wheelhouse.server.proxy.upstream.UpstreamFile;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.DigestMismatchException;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files of one proxy index that the store does not hold yet: found on the upstream page, fetched
 * once whatever the number of clients (the shared {@link Fill}), checked against the upstream's
 * sha256, then recorded so that later requests are plain store hits. Blocking: call on a worker.
 */
public final class ProxyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyFiles.class);

  private final ProxyPages pages;
  private final UpstreamHttp upstream;
  private final FillCoordinator fills;
  private final FileLocator locator;
  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final Clock clock;
  private final boolean offline;
  private final ProxyMetrics metrics;
  private final Consumer<String> onRecorded;
  // Fills whose completion is already wired to recording, so each is recorded once.
  private final Set<Fill> watched = ConcurrentHashMap.newKeySet();

  public ProxyFiles(
      ProxyPages pages,
      UpstreamHttp upstream,
      FillCoordinator fills,
      FileLocator locator,
      MetadataStore metadata,
      BlobStore blobs,
      Clock clock,
      boolean offline,
      ProxyMetrics metrics,
      Consumer<String> onRecorded) {
    this.pages = pages;
    this.upstream = upstream;
    this.fills = fills;
    this.locator = locator;
    this.metadata = metadata;
    this.blobs = blobs;
    this.clock = clock;
    this.offline = offline;
    this.metrics = metrics;
    this.onRecorded = onRecorded;
  }

  /** Where to get a file the store does not hold: a cached blob or a (shared) download. */
  public FileSource source(FileRequest request) throws IOException {
    if (offline) {
      throw HttpProblem.notFound(
          "offline mode: " + request.requestedName() + " is not cached in " + pages.name());
    }
    UpstreamFile file = upstreamFile(request);
    if (request.metadata()) {
      return metadataSource(request, file);
    }
    metrics.fileMiss(pages.name());
    Optional<Sha256> expected = file.sha256().map(Sha256::of);
    Fill fill =
        fills.fill(key(request), opener(file.url()), expected, blob -> record(request, file, blob));
    if (watched.add(fill)) {
      CompletableFuture<StoredBlob> unused =
          fill.done()
              .whenComplete(
                  (blob, failure) -> {
                    watched.remove(fill);
                    if (failure != null) {
                      noteFailure(request, failure);
                    }
                  });
    }
    return new FileSource.Filling(
        fill,
        FileLocator.contentType(request.distribution().filename()),
        expected.map(Sha256::hex));
  }

  private FileSource metadataSource(FileRequest request, UpstreamFile file) throws IOException {
    if (file.coreMetadata().isEmpty()) {
      throw HttpProblem.notFound("upstream offers no metadata for " + file.filename());
    }
    Optional<Sha256> expected = file.coreMetadata().get().sha256().map(Sha256::of);
    if (expected.isPresent()) {
      Optional<dev.wheelhouse.server.files.ServedFile> held =
          locator.blob(expected.get(), file.uploadTime().orElse(clock.instant()));
      if (held.isPresent()) {
        return new FileSource.Stored(held.get());
      }
    }
    URI url = URI.create(file.url().toString() + ".metadata");
    Fill fill = fills.fill(key(request), opener(url), expected);
    return new FileSource.Filling(fill, "text/plain; charset=utf-8", expected.map(Sha256::hex));
  }

  private UpstreamFile upstreamFile(FileRequest request) {
    ProxyLookup lookup = pages.lookup(request.project());
    if (lookup instanceof ProxyLookup.Unavailable gone) {
      throw new HttpProblem(502, gone.reason());
    }
    if (!(lookup instanceof ProxyLookup.Found found)) {
      throw HttpProblem.notFound("no such project upstream: " + request.project());
    }
    String wanted = request.distribution().filename();
    return found.project().files().stream()
        .filter(f -> f.filename().equals(wanted))
        .findFirst()
        .orElseThrow(() -> HttpProblem.notFound("upstream does not list " + wanted));
  }

  private UpstreamOpener opener(URI url) {
    return () -> {
      long started = System.nanoTime();
      HttpResponse<InputStream> response;
      try {
        response = upstream.open(url);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + url, e);
      } catch (IOException e) {
        metrics.upstreamError(pages.name(), "file");
        throw e;
      } finally {
        metrics.upstreamLatency(pages.name(), "file", System.nanoTime() - started);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        metrics.upstreamError(pages.name(), "file");
        throw new IOException("upstream answered HTTP " + response.statusCode() + " for " + url);
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      return new UpstreamBody(response.body(), length);
    };
  }

  /**
   * Remembers a downloaded file, with its METADATA for wheels, so that it is a hit from now on.
   * Runs on the fill's thread before the fill completes (see {@link
   * dev.wheelhouse.server.proxy.fill.CommitHook}).
   */
  private void record(FileRequest request, UpstreamFile file, StoredBlob blob) {
    metrics.bytesFetched(pages.name(), blob.size());
    Optional<Sha256> coreMetadata = Optional.empty();
    if (request.distribution() instanceof WheelFilename wheel) {
      try {
        ArchiveInspector.WheelContents contents = ArchiveInspector.wheel(blob.path(), wheel);
        StoredBlob stored =
            blobs.put(new ByteArrayInputStream(contents.metadataBytes()), Optional.empty());
        metadata.putBlob(new BlobRecord(stored.sha256(), stored.size(), clock.instant()));
        coreMetadata = Optional.of(stored.sha256());
      } catch (HttpProblem | IOException | IllegalArgumentException e) {
        // The bytes are what upstream published (hash-checked); they are served all the same.
        LOG.warn("{}: no METADATA from {}: {}", pages.name(), file.filename(), e.getMessage());
      }
    }
    FileRecord record =
        new FileRecord(
            request.index(),
            request.project().value(),
            file.filename(),
            request.distribution().version().toString(),
            blob.sha256(),
            blob.size(),
            file.uploadTime().orElse(clock.instant()),
            file.requiresPython(),
            Optional.empty(),
            coreMetadata,
            Map.of());
    if (metadata.getFile(record.index(), record.project(), record.filename()).isEmpty()) {
      metadata.putFile(record, record.project());
      // Pages now show what the download taught: a computed hash, the size, METADATA.
      onRecorded.accept(record.project());
    }
  }

  private void noteFailure(FileRequest request, Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
    if (cause instanceof DigestMismatchException mismatch) {
      metrics.hashMismatch(pages.name());
      LOG.warn(
          "{}: {} does not match its upstream sha256 (expected {}, got {}); nothing stored",
          pages.name(),
          request.requestedName(),
          mismatch.expected().hex(),
          mismatch.actual().hex());
    } else {
      LOG.warn(
          "{}: fetching {} failed: {}", pages.name(), request.requestedName(), cause.toString());
    }
  }

  private static String key(FileRequest request) {
    return request.index() + '/' + request.project().value() + '/' + request.requestedName();
  }
}
