package dev.wheelhouse.packaging.tags;

import java.util.Optional;

/**
 * The outcome of choosing a file for one requirement and target.
 *
 * @param best the file pip would install, if any
 * @param outcome why that file, or why none
 * @param reason one human line explaining the outcome (e.g. which platforms the wheels are for)
 * @param bestWheelVersion when the best file is an sdist: the newest matching version that has a
 *     compatible wheel, if any; otherwise empty
 * @param considered how many files matched name and version before tag filtering
 */
public record Selection(
    Optional<CandidateFile> best,
    Outcome outcome,
    String reason,
    Optional<String> bestWheelVersion,
    int considered) {

  /** Why a file was chosen, or why none. */
  public enum Outcome {
    /** A compatible wheel. */
    WHEEL,
    /** No compatible wheel, but an sdist of a matching version (pip would build it). */
    SDIST_ONLY,
    /** Files of matching versions exist, but none fits the target or requires-python. */
    NO_COMPATIBLE_FILE,
    /** No file of a matching version (or all of them yanked for a non-pinned requirement). */
    NO_MATCHING_VERSION,
    /** Hashes were required and no otherwise fitting file has one of them. */
    HASH_MISMATCH
  }
}
