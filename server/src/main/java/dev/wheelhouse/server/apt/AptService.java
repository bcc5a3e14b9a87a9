package dev.wheelhouse.server.apt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.server.apt.index.ReleaseFile;
import dev.wheelhouse.server.files.FileResponses;
import dev.wheelhouse.server.files.FileSource;
import dev.wheelhouse.server.files.ServedFile;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.proxy.fill.Fill;
import dev.wheelhouse.server.proxy.fill.FillCoordinator;
import dev.wheelhouse.server.proxy.fill.UpstreamBody;
import dev.wheelhouse.server.proxy.fill.UpstreamException;
import dev.wheelhouse.server.proxy.fill.UpstreamOpener;
import dev.wheelhouse.storage.AptExpectedFile;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.DigestMismatchException;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apt cache: decides, per file kind, whether a request is served from the store, revalidated
 * upstream or downloaded (once, shared by every client asking meanwhile). Blocking: call on a
 * worker thread.
 *
 * <ul>
 *   <li>Release files (InRelease, Release, Release.gpg) and unlisted index files are revalidated
 *       with conditional requests after the mirror's TTL; a stale copy is served when upstream
 *       fails; an upstream 404 is answered with a 404 (apt then falls back from InRelease to
 *       Release).
 *   <li>Index files the served Release lists are served by the digest it gives, so they always
 *       match it; a miss is fetched (by-hash when the Release offers it) and verified.
 *   <li>{@code by-hash} files are verified against their name; pool files against the digest the
 *       Packages or Sources index that listed them gave, when that index passed through here.
 * </ul>
 */
public final class AptService {
  private static final Logger LOG = LoggerFactory.getLogger(AptService.class);
  private static final String REVALIDATE = "no-cache";
  private static final Duration INDEX_READ_WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> DIGESTS =
      Map.of("MD5Sum", "MD5", "SHA1", "SHA-1", "SHA256", "SHA-256", "SHA512", "SHA-512");

  private final AptUpstream upstream;
  private final FillCoordinator fills;
  private final MetadataStore meta;
  private final BlobStore blobs;
  private final Clock clock;
  private final AptMetrics metrics;
  private final boolean offline;
  private final ReleaseLookup releases;
  private final PoolExpectations expectations;
  private final ConcurrentMap<String, CompletableFuture<Refreshed>> refreshing =
      new ConcurrentHashMap<>();
  // Mutable files upstream answered 404 for, and when: answered 404 until the TTL has passed, and
  // after it too while upstream cannot be asked. Bounded: clients choose these paths.
  private final Cache<String, Instant> absent = Caffeine.newBuilder().maximumSize(10_000).build();

  public AptService(
      AptUpstream upstream,
      FillCoordinator fills,
      MetadataStore meta,
      BlobStore blobs,
      Clock clock,
      AptMetrics metrics,
      boolean offline,
      Executor indexReader) {
    this.upstream = upstream;
    this.fills = fills;
    this.meta = meta;
    this.blobs = blobs;
    this.clock = clock;
    this.metrics = metrics;
    this.offline = offline;
    this.releases = new ReleaseLookup(meta, blobs);
    this.expectations = new PoolExpectations(meta, indexReader);
  }

  /** Where the bytes of {@code path} come from; a 404, 502 or 504 as an {@link HttpProblem}. */
  public AptSource source(AptMirror mirror, AptPath path) throws IOException {
    return switch (path.kind()) {
      case POOL -> pool(mirror, path);
      case BY_HASH -> byHash(mirror, path);
      case RELEASE -> mutable(mirror, path);
      case INDEX -> {
        Optional<AptSource> listed = listedIndex(mirror, path);
        yield listed.isPresent() ? listed.get() : mutable(mirror, path);
      }
    };
  }

  private AptSource pool(AptMirror mirror, AptPath path) throws IOException {
    Optional<AptExpectedFile> expected = meta.getAptExpected(mirror.name(), path.value());
    if (expected.isEmpty()) {
      // An index that may list it is still being read: its digest is worth the wait.
      expectations.awaitReading(mirror.name(), INDEX_READ_WAIT);
      expected = meta.getAptExpected(mirror.name(), path.value());
    }
    Optional<AptFileRecord> record = meta.getAptFile(mirror.name(), path.value());
    if (record.isPresent()
        && (expected.isEmpty() || expected.get().sha256().equals(record.get().sha256()))) {
      Optional<StoredBlob> blob = blobs.get(record.get().sha256());
      if (blob.isPresent()) {
        metrics.request(mirror.name(), "hit");
        return stored(record.get(), blob.get(), path, FileResponses.IMMUTABLE);
      }
    }
    requireOnline(mirror, path);
    metrics.request(mirror.name(), "miss");
    metrics.poolDownload(mirror.name(), expected.isPresent());
    OptionalLong size =
        expected.isPresent() ? OptionalLong.of(expected.get().size()) : OptionalLong.empty();
    Optional<Sha256> sha = expected.map(AptExpectedFile::sha256);
    // The first client's Last-Modified is the stored one, so its If-Range resumes work later.
    Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Fill fill =
        fills.fill(
            "apt:" + mirror.name() + "/" + path.value(),
            opener(mirror, mirror.url(path), size, Optional.empty()),
            sha,
            blob -> record(mirror, path, blob, started));
    return filling(mirror, path, fill, sha, FileResponses.IMMUTABLE, started);
  }

  private AptSource byHash(AptMirror mirror, AptPath path) throws IOException {
    AptPath.ByHash name = path.byHash().orElseThrow();
    String javaAlgorithm = DIGESTS.get(name.algorithm());
    if (javaAlgorithm == null) {
      throw HttpProblem.notFound(
          "unknown by-hash algorithm " + name.algorithm() + " in " + path.value());
    }
    Optional<ReleaseLookup.Governing> governing = releases.governing(mirror, path.directory());
    Optional<ReleaseFile.ReleaseEntry> entry =
        governing.flatMap(g -> g.release().byHash(name.algorithm(), name.hex()));
    Optional<Sha256> sha;
    if (name.algorithm().equals("SHA256")) {
      if (!Sha256.isValid(name.hex())) {
        throw HttpProblem.notFound("not a sha256 digest: " + path.value());
      }
      sha = Optional.of(Sha256.of(name.hex()));
    } else {
      sha = entry.flatMap(ReleaseFile.ReleaseEntry::sha256).map(Sha256::of);
    }
    Optional<StoredBlob> held = sha.isPresent() ? blobs.get(sha.get()) : Optional.empty();
    if (held.isEmpty()) {
      Optional<AptFileRecord> record = meta.getAptFile(mirror.name(), path.value());
      if (record.isPresent()) {
        held = blobs.get(record.get().sha256());
      }
    }
    if (held.isPresent()) {
      metrics.request(mirror.name(), "hit");
      StoredBlob blob = held.get();
      return new AptSource.Stored(
          new ServedFile(
              blob.path(),
              blob.size(),
              blob.sha256(),
              releaseDate(governing),
              AptContentTypes.of(path)),
          FileResponses.IMMUTABLE);
    }
    requireOnline(mirror, path);
    metrics.request(mirror.name(), "miss");
    Optional<DigestName> check =
        sha.isPresent() ? Optional.empty() : Optional.of(new DigestName(javaAlgorithm, name.hex()));
    OptionalLong size =
        entry.isPresent() ? OptionalLong.of(entry.get().size()) : OptionalLong.empty();
    Instant now = clock.instant();
    Fill fill =
        fills.fill(
            sha.map(s -> "sha256:" + s.hex()).orElse("apt:" + mirror.name() + "/" + path.value()),
            opener(mirror, mirror.url(path), size, check),
            sha,
            blob -> {
              record(mirror, path, blob, now);
              if (governing.isPresent() && entry.isPresent()) {
                learn(mirror, governing.get(), entry.get(), blob);
              }
            });
    return filling(mirror, path, fill, sha, FileResponses.IMMUTABLE, releaseDate(governing));
  }

  private Optional<AptSource> listedIndex(AptMirror mirror, AptPath path) throws IOException {
    Optional<ReleaseLookup.Governing> found = releases.governing(mirror, path.directory());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ReleaseLookup.Governing governing = found.get();
    Optional<ReleaseFile.ReleaseEntry> entry =
        governing.release().entry(governing.relative(path.value()));
    if (entry.isEmpty() || entry.get().sha256().isEmpty()) {
      return Optional.empty();
    }
    Sha256 sha = Sha256.of(entry.get().sha256().get());
    Instant released = releaseDate(found);
    Optional<StoredBlob> held = blobs.get(sha);
    if (held.isPresent()) {
      metrics.request(mirror.name(), "hit");
      StoredBlob blob = held.get();
      return Optional.of(
          new AptSource.Stored(
              new ServedFile(blob.path(), blob.size(), sha, released, AptContentTypes.of(path)),
              REVALIDATE));
    }
    requireOnline(mirror, path);
    metrics.request(mirror.name(), "miss");
    UpstreamOpener plain =
        opener(mirror, mirror.url(path), OptionalLong.of(entry.get().size()), Optional.empty());
    UpstreamOpener opener = plain;
    if (governing.release().acquireByHash()) {
      AptPath byHashPath =
          new AptPath(
              path.directory().isEmpty()
                  ? "by-hash/SHA256/" + sha.hex()
                  : path.directory() + "/by-hash/SHA256/" + sha.hex());
      UpstreamOpener byHash =
          opener(
              mirror,
              mirror.url(byHashPath),
              OptionalLong.of(entry.get().size()),
              Optional.empty());
      // by-hash names the very bytes the Release lists, even while upstream is mid-update.
      opener =
          () -> {
            try {
              return byHash.open();
            } catch (UpstreamException e) {
              if (e.status().isPresent() && e.status().getAsInt() == 404) {
                return plain.open();
              }
              throw e;
            }
          };
    }
    Fill fill =
        fills.fill(
            "sha256:" + sha.hex(),
            opener,
            Optional.of(sha),
            blob -> {
              record(mirror, path, blob, clock.instant());
              learn(mirror, governing, entry.get(), blob);
            });
    return Optional.of(filling(mirror, path, fill, Optional.of(sha), REVALIDATE, released));
  }

  private AptSource mutable(AptMirror mirror, AptPath path) throws IOException {
    String key = mirror.name() + "/" + path.value();
    Instant now = clock.instant();
    Optional<Held> held = held(mirror, path);
    if (held.isPresent() && held.get().record().validatedAt().plus(mirror.ttl()).isAfter(now)) {
      metrics.request(mirror.name(), "hit");
      return held.get().source(path);
    }
    Instant missingSince = absent.getIfPresent(key);
    if (held.isEmpty() && missingSince != null && missingSince.plus(mirror.ttl()).isAfter(now)) {
      metrics.request(mirror.name(), "absent");
      throw HttpProblem.notFound("not found upstream: " + mirror.url(path));
    }
    if (offline) {
      if (held.isPresent()) {
        metrics.request(mirror.name(), "stale");
        return held.get().source(path);
      }
      throw HttpProblem.notFound(
          "offline mode: " + path.value() + " is not cached for " + mirror.name());
    }
    Refreshed refreshed = refresh(key, mirror, path, held);
    if (refreshed instanceof Refreshed.Current current) {
      metrics.request(mirror.name(), "revalidated");
      return current.held().source(path);
    }
    if (refreshed instanceof Refreshed.Gone) {
      metrics.request(mirror.name(), "absent");
      throw HttpProblem.notFound("not found upstream: " + mirror.url(path));
    }
    String reason = ((Refreshed.Failed) refreshed).reason();
    Optional<Held> stale = held(mirror, path);
    if (stale.isPresent()) {
      metrics.request(mirror.name(), "stale");
      LOG.warn("{}: serving stale {}: {}", mirror.name(), path.value(), reason);
      return stale.get().source(path);
    }
    if (missingSince != null) {
      metrics.request(mirror.name(), "absent");
      throw HttpProblem.notFound("not found upstream when last asked: " + mirror.url(path));
    }
    throw new HttpProblem(502, reason);
  }

  /** One revalidation per file at a time; the others wait for its outcome. */
  private Refreshed refresh(String key, AptMirror mirror, AptPath path, Optional<Held> held) {
    CompletableFuture<Refreshed> mine = new CompletableFuture<>();
    CompletableFuture<Refreshed> running = refreshing.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        return new Refreshed.Failed("revalidation failed: " + e.getCause());
      }
    }
    try {
      Refreshed outcome = revalidate(key, mirror, path, held);
      mine.complete(outcome);
      return outcome;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      refreshing.remove(key, mine);
    }
  }

  private Refreshed revalidate(String key, AptMirror mirror, AptPath path, Optional<Held> held) {
    URI url = mirror.url(path);
    Map<String, String> conditional = new java.util.LinkedHashMap<>();
    held.ifPresent(
        h -> {
          h.record().etag().ifPresent(etag -> conditional.put("If-None-Match", etag));
          h.record().lastModified().ifPresent(date -> conditional.put("If-Modified-Since", date));
        });
    HttpResponse<InputStream> response;
    try {
      response = upstream.get(url, conditional);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Refreshed.Failed("interrupted while fetching " + url);
    } catch (IOException e) {
      metrics.upstreamError(mirror.name());
      return new Refreshed.Failed("cannot fetch " + url + ": " + e);
    }
    Instant now = clock.instant();
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 304 && held.isPresent()) {
        AptFileRecord record = held.get().record().revalidated(now);
        meta.putAptFile(record);
        return new Refreshed.Current(new Held(record, held.get().blob()));
      }
      if (status == 404 || status == 410) {
        meta.deleteAptFile(mirror.name(), path.value());
        absent.put(key, now);
        return new Refreshed.Gone();
      }
      if (status != 200) {
        metrics.upstreamError(mirror.name());
        return new Refreshed.Failed("upstream answered HTTP " + status + " for " + url);
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      StoredBlob blob = blobs.put(body, Optional.empty());
      if (length.isPresent() && length.getAsLong() != blob.size()) {
        metrics.upstreamError(mirror.name());
        return new Refreshed.Failed(
            "upstream sent " + blob.size() + " of " + length.getAsLong() + " bytes for " + url);
      }
      metrics.fetched(mirror.name(), blob.size());
      AptFileRecord record =
          new AptFileRecord(
              mirror.name(),
              path.value(),
              blob.sha256(),
              blob.size(),
              now,
              now,
              response.headers().firstValue("ETag"),
              response.headers().firstValue("Last-Modified"));
      meta.putAptFile(record);
      absent.invalidate(key);
      if (held.isPresent() && !held.get().record().sha256().equals(blob.sha256())) {
        expireSignature(mirror, path);
      }
      return new Refreshed.Current(new Held(record, blob));
    } catch (IOException e) {
      metrics.upstreamError(mirror.name());
      return new Refreshed.Failed("fetching " + url + " failed: " + e);
    }
  }

  /**
   * A changed Release makes its detached signature stale too: apt fetches Release.gpg right after
   * Release and checks one against the other.
   */
  private void expireSignature(AptMirror mirror, AptPath path) {
    if (!path.fileName().equals("Release")) {
      return;
    }
    String signature =
        path.directory().isEmpty() ? "Release.gpg" : path.directory() + "/Release.gpg";
    meta.getAptFile(mirror.name(), signature)
        .ifPresent(gpg -> meta.putAptFile(gpg.revalidated(Instant.EPOCH)));
  }

  private Optional<Held> held(AptMirror mirror, AptPath path) throws IOException {
    Optional<AptFileRecord> record = meta.getAptFile(mirror.name(), path.value());
    if (record.isEmpty()) {
      return Optional.empty();
    }
    return blobs.get(record.get().sha256()).map(blob -> new Held(record.get(), blob));
  }

  /** Records an immutable file; clients see {@code fetchedAt} as its Last-Modified. */
  private void record(AptMirror mirror, AptPath path, StoredBlob blob, Instant fetchedAt) {
    metrics.fetched(mirror.name(), blob.size());
    meta.putAptFile(
        new AptFileRecord(
            mirror.name(),
            path.value(),
            blob.sha256(),
            blob.size(),
            fetchedAt,
            clock.instant(),
            Optional.empty(),
            Optional.empty()));
  }

  private void learn(
      AptMirror mirror,
      ReleaseLookup.Governing governing,
      ReleaseFile.ReleaseEntry entry,
      StoredBlob blob) {
    String indexPath =
        governing.directory().isEmpty() ? entry.path() : governing.directory() + "/" + entry.path();
    expectations.learnLater(mirror, governing.archiveRoot(), indexPath, blob.path());
  }

  private UpstreamOpener opener(
      AptMirror mirror, URI url, OptionalLong expectedSize, Optional<DigestName> check) {
    return () -> {
      HttpResponse<InputStream> response;
      try {
        response = upstream.get(url, Map.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UpstreamException("interrupted while fetching " + url, e);
      } catch (IOException e) {
        metrics.upstreamError(mirror.name());
        throw new UpstreamException("cannot fetch " + url + ": " + e, e);
      }
      if (response.statusCode() != 200 && response.statusCode() != 404) {
        metrics.upstreamError(mirror.name());
      }
      UpstreamBody body = UpstreamBody.of(response);
      OptionalLong length = body.contentLength();
      if (expectedSize.isPresent()
          && length.isPresent()
          && length.getAsLong() != expectedSize.getAsLong()) {
        body.close();
        metrics.verificationFailure(mirror.name());
        throw new UpstreamException(
            url
                + " is "
                + length.getAsLong()
                + " bytes; its index says "
                + expectedSize.getAsLong());
      }
      if (check.isEmpty()) {
        return body;
      }
      MessageDigest digest;
      try {
        digest = MessageDigest.getInstance(check.get().javaAlgorithm());
      } catch (NoSuchAlgorithmException e) {
        body.close();
        throw new UpstreamException("no " + check.get().javaAlgorithm() + " digest available", e);
      }
      return new UpstreamBody(
          new DigestCheckingStream(body.stream(), digest, check.get().hex(), url.toString()),
          length);
    };
  }

  private AptSource filling(
      AptMirror mirror,
      AptPath path,
      Fill fill,
      Optional<Sha256> sha,
      String cacheControl,
      Instant lastModified) {
    CompletableFuture<StoredBlob> unused =
        fill.done()
            .whenComplete(
                (blob, failure) -> {
                  if (failure != null) {
                    noteFailure(mirror, path, failure);
                  }
                });
    return new AptSource.Filling(
        new FileSource.Filling(fill, AptContentTypes.of(path), sha.map(Sha256::hex)),
        cacheControl,
        lastModified);
  }

  private void noteFailure(AptMirror mirror, AptPath path, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    if (cause instanceof DigestMismatchException mismatch) {
      metrics.verificationFailure(mirror.name());
      LOG.warn(
          "{}: {} does not match the digest its index gives (expected {}, got {}); nothing stored",
          mirror.name(),
          path.value(),
          mismatch.expected().hex(),
          mismatch.actual().hex());
    } else {
      if (causedBy(cause, DigestCheckingStream.Mismatch.class)) {
        metrics.verificationFailure(mirror.name());
      }
      LOG.warn("{}: fetching {} failed: {}", mirror.name(), path.value(), cause.toString());
    }
  }

  private static boolean causedBy(Throwable thrown, Class<? extends Throwable> kind) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private void requireOnline(AptMirror mirror, AptPath path) {
    if (offline) {
      throw HttpProblem.notFound(
          "offline mode: " + path.value() + " is not cached for " + mirror.name());
    }
  }

  private static AptSource stored(
      AptFileRecord record, StoredBlob blob, AptPath path, String cacheControl) {
    return new AptSource.Stored(
        new ServedFile(
            blob.path(),
            blob.size(),
            record.sha256(),
            lastModified(record),
            AptContentTypes.of(path)),
        cacheControl);
  }

  /** Upstream's Last-Modified when it sent one, else when the bytes were fetched. */
  private static Instant lastModified(AptFileRecord record) {
    if (record.lastModified().isPresent()) {
      try {
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(
            record.lastModified().get(), Instant::from);
      } catch (DateTimeParseException e) {
        // fall through: an odd date from upstream is not worth failing a request for
      }
    }
    return record.fetchedAt();
  }

  /** Index files change exactly when their Release does: they carry its date. */
  private static Instant releaseDate(Optional<ReleaseLookup.Governing> governing) {
    return governing.map(g -> lastModified(g.record())).orElse(Instant.EPOCH);
  }

  /** A mutable file in the store. */
  private record Held(AptFileRecord record, StoredBlob blob) {
    AptSource source(AptPath path) {
      return stored(record, blob, path, REVALIDATE);
    }
  }

  /** A digest other than sha256 that a by-hash name gives. */
  private record DigestName(String javaAlgorithm, String hex) {}

  /** What a revalidation found. */
  private sealed interface Refreshed {
    record Current(Held held) implements Refreshed {}

    record Gone() implements Refreshed {}

    record Failed(String reason) implements Refreshed {}
  }
}
