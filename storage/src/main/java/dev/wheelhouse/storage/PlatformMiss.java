package dev.wheelhouse.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Clients of one platform that found no wheel of a project: how often, when first and last, and the
 * version they would build from source. Also a sighting to add to the stored row, when recording.
 *
 * @param project PEP 503 normalized name
 * @param platform container-style, e.g. {@code linux/arm64}
 * @param python {@code major.minor}, e.g. {@code 3.12}
 * @param libc e.g. {@code glibc 2.36} or {@code musl 1.2}
 * @param count sightings so far
 * @param version the newest version with an sdist, or the sdist a client downloaded
 */
public record PlatformMiss(
    String index,
    String project,
    String platform,
    String python,
    String libc,
    long count,
    Instant firstSeen,
    Instant lastSeen,
    Optional<String> version) {

  public PlatformMiss {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(libc, "libc");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(version, "version");
    if (count < 0) {
      throw new IllegalArgumentException("negative count: " + count);
    }
  }

  /** What tells platforms apart within a project: platform, Python and libc. */
  public String platformKey() {
    return platform + " " + python + " " + libc;
  }

  /**
   * This row with {@code later} sightings of the same platform added: counts summed, the time span
   * widened, and the later version when it names one.
   */
  public PlatformMiss plus(PlatformMiss later) {
    return new PlatformMiss(
        index,
        project,
        platform,
        python,
        libc,
        count + later.count,
        firstSeen.isAfter(later.firstSeen) ? later.firstSeen : firstSeen,
        lastSeen.isAfter(later.lastSeen) ? lastSeen : later.lastSeen,
        later.version.or(() -> version));
  }
}
