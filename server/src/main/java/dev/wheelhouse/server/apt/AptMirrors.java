package dev.wheelhouse.server.apt;

import dev.wheelhouse.config.AptConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The configured apt mirrors, and which of them a URL belongs to. Requests naming a host (the
 * apt-cacher-ng style {@code /<host>/<path>} and forward-proxy requests) are served only for the
 * hosts and paths of configured mirrors: the server is never an open proxy.
 */
public final class AptMirrors {
  private final List<AptMirror> mirrors;

  public AptMirrors(AptConfig config) {
    this.mirrors = config.mirrors().stream().map(AptMirror::of).toList();
  }

  public List<AptMirror> all() {
    return mirrors;
  }

  public Optional<AptMirror> named(String name) {
    return mirrors.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /**
   * The mirror serving {@code scheme://authority/rawPath} and the raw path below its root; the
   * longest matching root wins, so {@code /debian/} and {@code /debian-security/} on one host stay
   * apart.
   */
  public Resolution resolve(String scheme, String authority, String rawPath) {
    String wanted;
    try {
      URI uri = new URI(scheme + "://" + authority + "/");
      if (uri.getHost() == null) {
        return new Resolution.Refused("not a host name: " + authority);
      }
      wanted = AptMirror.authority(scheme, uri.getHost(), uri.getPort());
    } catch (URISyntaxException e) {
      return new Resolution.Refused("not a host name: " + authority);
    }
    List<AptMirror> onHost =
        mirrors.stream()
            .filter(m -> m.root().getScheme().equalsIgnoreCase(scheme))
            .filter(m -> m.authority().equals(wanted))
            .toList();
    if (onHost.isEmpty()) {
      return new Resolution.Refused(
          scheme
              + "://"
              + wanted
              + " is not the host of a configured apt mirror, and this server is not an open"
              + " proxy; configured: "
              + describe());
    }
    String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
    return onHost.stream()
        .filter(m -> path.startsWith(m.rootPath()) && path.length() > m.rootPath().length())
        .max(Comparator.comparingInt(m -> m.rootPath().length()))
        .<Resolution>map(m -> new Resolution.Mapped(m, path.substring(m.rootPath().length())))
        .orElseGet(
            () ->
                new Resolution.Refused(
                    scheme
                        + "://"
                        + wanted
                        + path
                        + " is outside the configured apt mirrors on that host: "
                        + onHost.stream()
                            .map(m -> m.root().toString())
                            .collect(Collectors.joining(", "))));
  }

  private String describe() {
    if (mirrors.isEmpty()) {
      return "none";
    }
    return mirrors.stream()
        .map(m -> m.name() + " (" + m.root() + ")")
        .collect(Collectors.joining(", "));
  }

  /** Where a host-naming request goes. */
  public sealed interface Resolution {
    /** Served by {@code mirror}; {@code rawPath} is below its root, still percent-encoded. */
    record Mapped(AptMirror mirror, String rawPath) implements Resolution {}

    /** Not for a configured mirror: a 403 with {@code reason}. */
    record Refused(String reason) implements Resolution {}
  }
}
