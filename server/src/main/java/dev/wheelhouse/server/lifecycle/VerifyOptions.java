package dev.wheelhouse.server.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which blobs a {@link Verifier} run re-hashes.
 *
 * <p>Blobs are visited in digest order and the run stops after {@code sample} of all recorded blobs
 * (rounded up). Alone, a sample checks the same blobs every time; with {@code uncheckedFor}, blobs
 * checked by earlier runs are skipped, so each run takes the next slice in digest order and {@code
 * 1/sample} runs cover the whole store.
 *
 * @param sample fraction of the recorded blobs to check, in (0, 1]
 * @param uncheckedFor only blobs never checked, or last checked longer ago than this
 */
public record VerifyOptions(double sample, Optional<Duration> uncheckedFor) {
  /** Every blob, whenever it was last checked. */
  public static final VerifyOptions ALL = new VerifyOptions(1.0, Optional.empty());

  public VerifyOptions {
    Objects.requireNonNull(uncheckedFor, "uncheckedFor");
    if (!(sample > 0 && sample <= 1)) {
      throw new IllegalArgumentException("sample must be in (0, 1], got " + sample);
    }
    if (uncheckedFor.isPresent() && uncheckedFor.get().isNegative()) {
      throw new IllegalArgumentException("negative uncheckedFor: " + uncheckedFor.get());
    }
  }
}
