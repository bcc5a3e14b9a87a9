package dev.wheelhouse.server.apt;

import dev.wheelhouse.config.AptMirrorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One configured upstream apt repository.
 *
 * @param name as in the config, served at {@code /apt/<name>/}
 * @param root the repository root, ending in {@code /}
 * @param ttl how long a mutable index file counts as fresh
 */
public record AptMirror(String name, URI root, Duration ttl) {
  public AptMirror {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(ttl, "ttl");
    if (!root.getPath().endsWith("/")) {
      root = URI.create(root + "/");
    }
  }

  public static AptMirror of(AptMirrorConfig config) {
    return new AptMirror(config.name(), config.url(), config.ttl());
  }

  /** The upstream URL of a file. */
  public URI url(AptPath path) {
    return root.resolve(path.encoded());
  }

  /** {@code host[:port]} in lowercase, the port only when not the scheme's default. */
  public String authority() {
    return authority(root.getScheme(), root.getHost(), root.getPort());
  }

  /** The path part of the root, e.g. {@code /debian/}. */
  public String rootPath() {
    return root.getRawPath();
  }

  static String authority(String scheme, String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    int standard = "https".equalsIgnoreCase(scheme) ? 443 : 80;
    return port < 0 || port == standard ? lower : lower + ":" + port;
  }
}
