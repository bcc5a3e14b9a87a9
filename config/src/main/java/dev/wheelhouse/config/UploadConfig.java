package dev.wheelhouse.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Uploads through {@code POST /legacy/}.
 *
 * @param index the hosted index {@code POST /legacy/} writes to; default the first hosted index, or
 *     {@code ""} when there is none (uploads are then refused)
 * @param maxSize largest accepted upload; default 4GiB
 */
public record UploadConfig(String index, DataSize maxSize) {
  public static final DataSize DEFAULT_MAX_SIZE = DataSize.ofBytes(4L << 30);

  public UploadConfig {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(maxSize, "maxSize");
  }

  /** The index {@code POST /legacy/} writes to, or empty when no hosted index exists. */
  public Optional<String> targetIndex() {
    return index.isEmpty() ? Optional.empty() : Optional.of(index);
  }
}
