package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A file listed by an index: what the simple index shows for it.
 *
 * @param project PEP 503 normalized name
 * @param version as parsed from the filename, normalized
 * @param yanked present means yanked; the value is the reason, possibly ""
 * @param coreMetadata sha256 of the wheel's METADATA bytes (PEP 658), itself stored as a blob
 * @param extraHashes other digests by algorithm name, e.g. "md5" to hex; may be empty
 */
public record FileRecord(
    String index,
    String project,
    String filename,
    String version,
    Sha256 sha256,
    long size,
    Instant uploadTime,
    Optional<String> requiresPython,
    Optional<String> yanked,
    Optional<Sha256> coreMetadata,
    Map<String, String> extraHashes) {

  public FileRecord {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(uploadTime, "uploadTime");
    Objects.requireNonNull(requiresPython, "requiresPython");
    Objects.requireNonNull(yanked, "yanked");
    Objects.requireNonNull(coreMetadata, "coreMetadata");
    extraHashes = Map.copyOf(extraHashes);
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }

  public boolean isYanked() {
    return yanked.isPresent();
  }

  /** This record with another yank state ({@code Optional.empty()} = not yanked). */
  public FileRecord withYanked(Optional<String> reason) {
    return new FileRecord(
        index,
        project,
        filename,
        version,
        sha256,
        size,
        uploadTime,
        requiresPython,
        reason,
        coreMetadata,
        extraHashes);
  }
}
