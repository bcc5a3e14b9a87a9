package dev.wheelhouse.cli.prewarm;

/** What prewarm achieved for one requirement on one target. */
enum CellStatus {
  /** The wheel was downloaded; the server already had it. */
  CACHED("cached"),
  /** The wheel was downloaded; the server fetched it from upstream for this. */
  FETCHED("fetched"),
  /** No wheel existed; one was built from the sdist and uploaded. */
  BUILT("built"),
  /** Only an sdist fits: installs would build it (use --build-missing). */
  SDIST_ONLY("sdist-only"),
  /** Nothing installable: not on the index, no fitting file, a wrong hash or a failed download. */
  MISSING("missing"),
  /** Not asked for on this target (marker), or not something prewarm fetches (direct URL). */
  SKIPPED("skipped");

  private final String label;

  CellStatus(String label) {
    this.label = label;
  }

  /** As printed and in JSON: {@code cached}, {@code sdist-only}, ... */
  String label() {
    return label;
  }

  /** Whether this status leaves an install on the target without a wheel. */
  boolean isGap() {
    return this == MISSING || this == SDIST_ONLY;
  }
}
