package dev.wheelhouse.server.pypi;

import dev.wheelhouse.storage.FileRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One file as a simple-API page lists it. Hosted files know everything; a proxied file that was
 * never downloaded may lack a hash (some upstreams give none), a size or an upload time.
 *
 * @param index the index whose {@code /files/} URL serves the file
 * @param coreMetadata present when a {@code .metadata} file is offered; its hash when known
 * @param hasProvenance whether {@code /provenance/} tells how the file was built
 */
public record PageFile(
    String index,
    String project,
    String filename,
    String version,
    Optional<String> sha256,
    Map<String, String> extraHashes,
    OptionalLong size,
    Optional<Instant> uploadTime,
    Optional<String> requiresPython,
    Optional<String> yanked,
    Optional<MetadataOffer> coreMetadata,
    boolean hasProvenance) {

  public PageFile {
    extraHashes = Map.copyOf(extraHashes);
  }

  /** A stored file, all facts known. */
  public static PageFile of(FileRecord file, boolean hasProvenance) {
    return new PageFile(
        file.index(),
        file.project(),
        file.filename(),
        file.version(),
        Optional.of(file.sha256().hex()),
        file.extraHashes(),
        OptionalLong.of(file.size()),
        Optional.of(file.uploadTime()),
        file.requiresPython(),
        file.yanked(),
        file.coreMetadata().map(sha -> new MetadataOffer(Optional.of(sha.hex()))),
        hasProvenance);
  }
}
