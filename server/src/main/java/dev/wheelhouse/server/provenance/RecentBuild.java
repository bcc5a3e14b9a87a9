package dev.wheelhouse.server.provenance;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A built file of a hosted index, with what its provenance says of the build.
 *
 * @param platform container-style, e.g. {@code linux/arm64}
 * @param python e.g. {@code 3.12}
 * @param source what was built, e.g. {@code git+https://host/repo@commit} or {@code sdist:foo==1.0}
 * @param emulated whether the build ran under emulation
 * @param durationSeconds how long the build took
 * @param builtAt when the build finished, or when the file was uploaded if the provenance does not
 *     say
 * @param hasLog whether the build log was uploaded with the file
 */
public record RecentBuild(
    String index,
    String project,
    String filename,
    Optional<String> platform,
    Optional<String> python,
    Optional<String> source,
    Optional<Boolean> emulated,
    Optional<Double> durationSeconds,
    Instant builtAt,
    boolean hasLog) {

  public RecentBuild {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(emulated, "emulated");
    Objects.requireNonNull(durationSeconds, "durationSeconds");
    Objects.requireNonNull(builtAt, "builtAt");
  }
}
