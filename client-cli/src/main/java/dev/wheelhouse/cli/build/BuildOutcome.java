package dev.wheelhouse.cli.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How one build ended.
 *
 * @param job the build
 * @param succeeded whether a fitting wheel was built and is on the index
 * @param wheel the built wheel's file name
 * @param sha256 its sha256
 * @param commit the git commit built, if known
 * @param duration how long the container ran
 * @param detail one line: what was uploaded, or why it failed
 * @param log where the full build log is kept on this machine
 */
record BuildOutcome(
    BuildJob job,
    boolean succeeded,
    Optional<String> wheel,
    Optional<String> sha256,
    Optional<String> commit,
    Duration duration,
    String detail,
    Path log) {}
