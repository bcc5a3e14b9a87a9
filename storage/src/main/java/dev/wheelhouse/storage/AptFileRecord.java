package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A file of an apt mirror held in the blob store: an immutable one ({@code pool/}, {@code
 * by-hash/}) or the current copy of a mutable index (InRelease, Release, ...), which is revalidated
 * upstream once its TTL has passed.
 *
 * @param mirror the configured mirror's name
 * @param path the path below the mirror's root, decoded (e.g. {@code dists/stable/InRelease})
 * @param sha256 the blob holding the bytes, exactly as upstream sent them
 * @param size bytes
 * @param fetchedAt when these bytes were downloaded
 * @param validatedAt when upstream last confirmed them (a download or a 304)
 * @param etag the upstream's ETag, for If-None-Match on revalidation
 * @param lastModified the upstream's Last-Modified, for If-Modified-Since and for clients
 */
public record AptFileRecord(
    String mirror,
    String path,
    Sha256 sha256,
    long size,
    Instant fetchedAt,
    Instant validatedAt,
    Optional<String> etag,
    Optional<String> lastModified) {
  public AptFileRecord {
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    Objects.requireNonNull(validatedAt, "validatedAt");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }

  /** The same bytes, confirmed by upstream at {@code now}. */
  public AptFileRecord revalidated(Instant now) {
    return new AptFileRecord(mirror, path, sha256, size, fetchedAt, now, etag, lastModified);
  }
}
