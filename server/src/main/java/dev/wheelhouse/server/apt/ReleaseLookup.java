package dev.wheelhouse.server.apt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.server.apt.index.DebianFormatException;
import dev.wheelhouse.server.apt.index.ReleaseFile;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Release (InRelease preferred) being served that governs a path: the nearest one in the
 * path's directory or above it. Index files are served by the digests it lists, so what clients get
 * always matches the Release they got, whatever upstream is doing meanwhile. Parsed Release files
 * are kept in memory by digest.
 */
final class ReleaseLookup {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseLookup.class);
  // Debian's InRelease is ~150 KB, Ubuntu's ~250 KB; far larger is not a Release file to parse.
  private static final long MAX_RELEASE_BYTES = 16L << 20;

  private final MetadataStore meta;
  private final BlobStore blobs;
  private final Cache<Sha256, Optional<ReleaseFile>> parsed =
      Caffeine.newBuilder().maximumSize(64).build();

  ReleaseLookup(MetadataStore meta, BlobStore blobs) {
    this.meta = meta;
    this.blobs = blobs;
  }

  /** The Release governing files in {@code directory} (no trailing slash; empty for the root). */
  Optional<Governing> governing(AptMirror mirror, String directory) {
    String dir = directory;
    while (true) {
      for (String name : new String[] {"InRelease", "Release"}) {
        String releasePath = dir.isEmpty() ? name : dir + "/" + name;
        Optional<AptFileRecord> record = meta.getAptFile(mirror.name(), releasePath);
        if (record.isPresent()) {
          Optional<ReleaseFile> release = parse(record.get());
          if (release.isPresent()) {
            return Optional.of(new Governing(dir, record.get(), release.get()));
          }
        }
      }
      if (dir.isEmpty()) {
        return Optional.empty();
      }
      int slash = dir.lastIndexOf('/');
      dir = slash < 0 ? "" : dir.substring(0, slash);
    }
  }

  private Optional<ReleaseFile> parse(AptFileRecord record) {
    if (record.size() > MAX_RELEASE_BYTES) {
      return Optional.empty();
    }
    return parsed.get(
        record.sha256(),
        sha -> {
          try {
            Optional<StoredBlob> blob = blobs.get(sha);
            if (blob.isEmpty()) {
              return Optional.empty();
            }
            return Optional.of(ReleaseFile.parse(Files.readAllBytes(blob.get().path())));
          } catch (DebianFormatException e) {
            LOG.warn(
                "{}/{} is not a readable Release file: {}",
                record.mirror(),
                record.path(),
                e.getMessage());
            return Optional.empty();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * A Release and where it is.
   *
   * @param directory the Release's directory below the mirror root, no trailing slash
   * @param record the stored Release file
   * @param release its parsed content
   */
  record Governing(String directory, AptFileRecord record, ReleaseFile release) {
    /** {@code path} relative to the Release's directory. */
    String relative(String path) {
      return directory.isEmpty() ? path : path.substring(directory.length() + 1);
    }

    /**
     * Where the {@code Filename}s of its Packages indexes start: the archive root above {@code
     * dists/}, or the Release's own directory for a flat repository.
     */
    String archiveRoot() {
      String withSlash = directory + "/";
      if (withSlash.startsWith("dists/")) {
        return "";
      }
      int dists = withSlash.indexOf("/dists/");
      if (dists >= 0) {
        return withSlash.substring(0, dists + 1);
      }
      return directory.isEmpty() ? "" : withSlash;
    }
  }
}
