package dev.wheelhouse.cli.apt;

import dev.wheelhouse.config.AptMirrorConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names of apt mirrors for repository roots: the configured mirror's name when one has that root,
 * else a new name from the URL, valid ({@code [a-z0-9][a-z0-9._-]*}) and unique. A new name is the
 * last path segment ({@code debian}, {@code debian-security}; the host for a root at {@code /}),
 * then that segment and the host's first label ({@code debian-other}), then numbered ({@code
 * debian-2}).
 */
final class MirrorNames {
  private final Map<String, String> nameByRoot = new HashMap<>();
  private final Set<String> taken = new HashSet<>();
  private final Map<String, URI> added = new LinkedHashMap<>();

  MirrorNames(List<AptMirrorConfig> configured) {
    for (AptMirrorConfig mirror : configured) {
      root(mirror.url()).ifPresent(root -> nameByRoot.putIfAbsent(root.toString(), mirror.name()));
      taken.add(mirror.name());
    }
  }

  /** The mirror name for {@code root}, a result of {@link #root}. */
  String nameFor(URI root) {
    String existing = nameByRoot.get(root.toString());
    if (existing != null) {
      return existing;
    }
    List<String> preferred = preferredNames(root);
    String name = preferred.stream().filter(c -> !taken.contains(c)).findFirst().orElse(null);
    for (int i = 2; name == null; i++) {
      String numbered = preferred.get(0) + "-" + i;
      name = taken.contains(numbered) ? null : numbered;
    }
    taken.add(name);
    nameByRoot.put(root.toString(), name);
    added.put(name, root);
    return name;
  }

  /** The mirrors {@link #nameFor} had to name, by name, in the order named. */
  Map<String, URI> added() {
    return Collections.unmodifiableMap(added);
  }

  /**
   * The repository root of an http(s) URL, for comparing: scheme and host in lowercase, the path
   * ending in {@code /}; empty for other URLs.
   */
  static Optional<URI> root(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      return Optional.empty();
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String port = url.getPort() < 0 ? "" : ":" + url.getPort();
    return Optional.of(
        URI.create(
            scheme
                + "://"
                + url.getHost().toLowerCase(Locale.ROOT)
                + port
                + (path.endsWith("/") ? path : path + "/")));
  }

  private static List<String> preferredNames(URI root) {
    String host = root.getHost();
    String segment = "";
    for (String part : root.getRawPath().split("/", -1)) {
      if (!part.isEmpty()) {
        segment = part;
      }
    }
    String base = sanitize(segment);
    if (base.isEmpty()) {
      base = sanitize(host);
    }
    if (base.isEmpty()) {
      base = "mirror";
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(base);
    String label = sanitize(host.split("\\.", -1)[0]);
    if (!label.isEmpty() && !base.equals(host) && !base.equals(label)) {
      candidates.add(base + "-" + label);
    }
    return candidates;
  }

  /** {@code text} as a valid name, or empty: lowercase, other characters as '-'. */
  private static String sanitize(String text) {
    String name = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return name.replaceFirst("^[^a-z0-9]+", "").replaceFirst("[._-]+$", "");
  }
}
