package dev.wheelhouse.server.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.config.IndexConfig;
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

  /**
   * Forgets what was resolved for a file and its {@code .metadata}: call it when the file's entry
   * or blob is removed (prune, verify), so that the next request looks it up again.
   */
  public void forget(String index, String project, String filename) {
    String distribution =
        filename.endsWith(METADATA_SUFFIX)
            ? filename.substring(0, filename.length() - METADATA_SUFFIX.length())
            : filename;
    resolved.invalidate(key(index, project, distribution));
    resolved.invalidate(key(index, project, distribution + METADATA_SUFFIX));
  }

  /** Validates the parts of a file URL; no I/O. Throws {@link HttpProblem} for bad names. */
  public FileRequest parse(String index, String project, String filename) {
    IndexConfig config = registry.require(index);
    if (config.type() == IndexType.GROUP) {
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
    ProjectName name = ProjectName.of(project);
    if (!parsed.project().equals(name)) {
      throw HttpProblem.notFound("file " + distribution + " does not belong to " + project);
    }
    if (wantsMetadata && !(parsed instanceof WheelFilename)) {
      throw HttpProblem.notFound("only wheels have a .metadata file");
    }
    return new FileRequest(index, config.type(), name, parsed, wantsMetadata);
  }

  /** The committed blob for a request, if the store has it; blocking. */
  public Optional<ServedFile> stored(FileRequest request) throws IOException {
    Optional<FileRecord> record =
        metadata.getFile(
            request.index(), request.project().value(), request.distribution().filename());
    if (record.isEmpty()) {
      return Optional.empty();
    }
    ServedFile served;
    if (request.metadata()) {
      if (record.get().coreMetadata().isEmpty()) {
        return Optional.empty();
      }
      served = serve(record.get().coreMetadata().get(), record.get(), "text/plain; charset=utf-8");
    } else {
      served =
          serve(
              record.get().sha256(), record.get(), contentType(request.distribution().filename()));
    }
    resolved.put(key(request.index(), request.project().value(), request.requestedName()), served);
    return Optional.of(served);
  }

  /** A blob named by digest, served as the {@code .metadata} of a proxied wheel. */
  public Optional<ServedFile> blob(Sha256 sha, java.time.Instant lastModified) throws IOException {
    return blobs
        .get(sha)
        .map(
            blob ->
                new ServedFile(
                    blob.path(), blob.size(), sha, lastModified, "text/plain; charset=utf-8"));
  }

  private ServedFile serve(Sha256 sha, FileRecord record, String contentType) throws IOException {
    StoredBlob blob =
        blobs
            .get(sha)
            .orElseThrow(() -> new IOException("metadata names a missing blob " + sha.hex()));
    return new ServedFile(blob.path(), blob.size(), sha, record.uploadTime(), contentType);
  }

  public static String contentType(String filename) {
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
