package dev.wheelhouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One upstream apt repository, served under {@code /apt/<name>/}.
 *
 * @param name {@code [a-z0-9][a-z0-9._-]*}, unique among mirrors; required
 * @param url the repository root, http or https (a trailing / is added); required
 * @param ttl how long mutable index files (InRelease, Packages, ...) count as fresh; default 5m
 */
public record AptMirrorConfig(String name, URI url, Duration ttl) {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  public AptMirrorConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(ttl, "ttl");
  }
}
