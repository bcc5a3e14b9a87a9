package dev.wheelhouse.server.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;
import java.util.Optional;

/**
 * Resolves {@code /files/<index>/<project>/<filename>} (and {@code <wheel>.metadata}) to a
 * committed blob. Every part of the path is validated before it reaches storage, and storage paths
 * derive from digests only, so no request can name a path outside the data directory. Resolutions
 * are cached: file bytes never change, so a hit never needs the metadata store.
 */
public final class FileLocator {
  private static final String METADATA_SUFFIX = ".metadata";

  private final IndexRegistry registry;
  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final Cache<String, ServedFile> resolved =
      Caffeine.newBuilder().maximumSize(100_000).build();

  public FileLocator(IndexRegistry registry, MetadataStore metadata, BlobStore blobs) {
    this.registry = registry;
    this.metadata = metadata;
    this.blobs = blobs;
  }

  /** A previous resolution, without I/O: safe on an event loop. */
  public Optional<ServedFile> cached(String index, String project, String filename) {
    return Optional.ofNullable(resolved.getIfPresent(key(index, project, filename)));
  }

  /** Resolves a file URL; blocking. Throws {@link HttpProblem} for bad or unknown names. */
  public ServedFile locate(String index, String project, String filename) throws IOException {
    if (registry.require(index).type() != IndexType.HOSTED) {
      throw HttpProblem.notFound("index '" + index + "' holds no files of its own");
    }
    if (!ProjectName.isNormalized(project)) {
      throw ProjectName.isValid(project)
          ? HttpProblem.notFound("file URLs use the normalized project name")
          : HttpProblem.badRequest("invalid project name");
    }
    boolean wantsMetadata = filename.endsWith(METADATA_SUFFIX);
    String distribution =
        wantsMetadata
            ? filename.substring(0, filename.length() - METADATA_SUFFIX.length())
            : filename;
    DistributionFilename parsed = DistributionFilename.parse(distribution);
    if (!parsed.project().equals(ProjectName.of(project))) {
      throw HttpProblem.notFound("file " + distribution + " does not belong to " + project);
    }
    FileRecord record =
        metadata
            .getFile(index, project, distribution)
            .orElseThrow(() -> HttpProblem.notFound("no such file: " + distribution));
    ServedFile served;
    if (wantsMetadata) {
      if (!(parsed instanceof WheelFilename) || record.coreMetadata().isEmpty()) {
        throw HttpProblem.notFound("no core metadata for " + distribution);
      }
      Sha256 sha = record.coreMetadata().get();
      served = serve(sha, record, "text/plain; charset=utf-8");
    } else {
      served = serve(record.sha256(), record, contentType(distribution));
    }
    resolved.put(key(index, project, filename), served);
    return served;
  }

  /** Forgets resolutions, e.g. after a prune removed blobs. */
  public void invalidateAll() {
    resolved.invalidateAll();
  }

  private ServedFile serve(Sha256 sha, FileRecord record, String contentType) throws IOException {
    StoredBlob blob =
        blobs
            .get(sha)
            .orElseThrow(() -> new IOException("metadata names a missing blob " + sha.hex()));
    return new ServedFile(
        blob.path(), blob.size(), "\"" + sha.hex() + "\"", record.uploadTime(), contentType);
  }

  private static String contentType(String filename) {
    if (filename.endsWith(".tar.gz")) {
      return "application/gzip";
    }
    if (filename.endsWith(".zip") || filename.endsWith(".whl")) {
      return "application/zip";
    }
    return "application/octet-stream";
  }

  private static String key(String index, String project, String filename) {
    return index + '\0' + project + '\0' + filename;
  }
}
