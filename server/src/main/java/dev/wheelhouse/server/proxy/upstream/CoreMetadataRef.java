package dev.wheelhouse.server.proxy.upstream;

import java.util.Objects;
import java.util.Optional;

/**
 * The upstream serves the file's core metadata at {@code <file url>.metadata} (PEP 658, PEP 714).
 *
 * @param sha256 lowercase hex of the metadata file; empty if the upstream only says "true" or gives
 *     another algorithm
 */
public record CoreMetadataRef(Optional<String> sha256) {
  public CoreMetadataRef {
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * From an HTML {@code data-core-metadata} value: {@code "true"} or {@code <hashname>=<hex>}.
   * {@code "false"} (not in the PEP, but seen) means none; other values still announce the file, as
   * pip reads them.
   */
  static Optional<CoreMetadataRef> fromAttribute(String value) {
    if (value.equalsIgnoreCase("false")) {
      return Optional.empty();
    }
    return Optional.of(new CoreMetadataRef(Sha256Hex.fromPairs(value)));
  }
}
