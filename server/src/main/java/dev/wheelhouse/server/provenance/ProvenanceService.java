package dev.wheelhouse.server.provenance;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.server.files.ServedFile;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Provenance;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;

/** Finds how a hosted file was built, and its build log. Blocking: call on a worker thread. */
public final class ProvenanceService {
  private final IndexRegistry registry;
  private final MetadataStore metadata;
  private final BlobStore blobs;

  public ProvenanceService(IndexRegistry registry, MetadataStore metadata, BlobStore blobs) {
    this.registry = registry;
    this.metadata = metadata;
    this.blobs = blobs;
  }

  /** The file and its provenance; a 404 with the reason when either is missing. */
  BuiltFile find(String index, String filename) {
    IndexConfig config = registry.require(index);
    if (config.type() != IndexType.HOSTED) {
      throw HttpProblem.notFound(
          "index '" + index + "' is not a hosted index: only uploads have a provenance");
    }
    DistributionFilename name = DistributionFilename.parse(filename);
    String project = name.project().value();
    FileRecord file =
        metadata
            .getFile(index, project, name.filename())
            .orElseThrow(() -> HttpProblem.notFound("no such file: " + index + "/" + filename));
    Provenance provenance =
        metadata
            .getProvenance(index, project, name.filename())
            .orElseThrow(
                () ->
                    HttpProblem.notFound(
                        "no provenance for " + filename + ": it was uploaded without one"));
    return new BuiltFile(file, provenance);
  }

  /** The build log of a file, ready to send; a 404 with the reason when there is none. */
  ServedFile log(String index, String filename) throws IOException {
    BuiltFile built = find(index, filename);
    Sha256 sha =
        built
            .provenance()
            .buildLog()
            .orElseThrow(
                () -> HttpProblem.notFound("no build log for " + filename + ": none was uploaded"));
    return blobs
        .get(sha)
        .map(
            blob ->
                new ServedFile(
                    blob.path(),
                    blob.size(),
                    sha,
                    built.file().uploadTime(),
                    "text/plain; charset=utf-8"))
        .orElseThrow(() -> new IOException("provenance names a missing log blob " + sha.hex()));
  }
}
