package dev.wheelhouse.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * How a hosted file was built, as its uploader described it. Kept beside the file's row and dropped
 * with it; the build log's blob is referenced by the file's entry, so pruning and garbage
 * collection keep it exactly as long as the file.
 *
 * @param json a JSON object, stored as given (storage does not interpret it)
 * @param buildLog the blob holding the full build log, if one was uploaded
 */
public record Provenance(String json, Optional<Sha256> buildLog) {
  public Provenance {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(buildLog, "buildLog");
  }
}
