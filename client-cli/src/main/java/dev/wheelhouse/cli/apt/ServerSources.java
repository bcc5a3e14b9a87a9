package dev.wheelhouse.cli.apt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Host sources turned into sources through the server: each http(s) repository root becomes {@code
 * SERVER/apt/NAME}, NAME from {@link MirrorNames}; types, suites, components and options stay.
 * Other URIs ({@code file:}, {@code cdrom:}, {@code mirror+...}) are left out.
 */
final class ServerSources {
  private ServerSources() {}

  /**
   * The sources through the server, and what was left out.
   *
   * @param sources the rewritten sources; a source whose every URI was left out is dropped
   * @param skipped the URIs left out, with why
   */
  record Rewritten(List<SourceEntry> sources, List<SkippedSource> skipped) {}

  /** Where apt reaches mirror {@code name} of the server at {@code server} (no trailing /). */
  static String aptUri(String server, String name) {
    return server + "/apt/" + name;
  }

  static Rewritten rewrite(List<SourceEntry> host, String server, MirrorNames names) {
    String throughServer = MirrorNames.root(URI.create(server)).orElseThrow() + "apt/";
    List<SourceEntry> sources = new ArrayList<>();
    List<SkippedSource> skipped = new ArrayList<>();
    for (SourceEntry entry : host) {
      List<String> uris = new ArrayList<>();
      for (String uri : entry.uris()) {
        Optional<URI> root = Optional.empty();
        String reason;
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          reason = "only http and https repositories can go through wheelhouse";
        } else {
          try {
            URI parsed = new URI(uri);
            root = MirrorNames.root(parsed);
            reason = problem(parsed, root);
          } catch (URISyntaxException e) {
            reason = "not a valid URI: " + e.getReason();
          }
        }
        if (reason != null) {
          skipped.add(new SkippedSource(entry.origin(), uri, reason));
          continue;
        }
        String rootText = root.orElseThrow().toString();
        String through =
            rootText.startsWith(throughServer)
                // Already through this server: keep it, never make a mirror of the server itself.
                ? rootText.substring(0, rootText.length() - 1)
                : aptUri(server, names.nameFor(root.orElseThrow()));
        if (!uris.contains(through)) {
          uris.add(through);
        }
      }
      if (!uris.isEmpty()) {
        sources.add(entry.withUris(uris));
      }
    }
    return new Rewritten(List.copyOf(sources), List.copyOf(skipped));
  }

  private static String problem(URI uri, Optional<URI> root) {
    if (root.isEmpty()) {
      return "not a valid http(s) URL";
    }
    if (uri.getRawUserInfo() != null) {
      return "has credentials, which wheelhouse apt mirrors do not support";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "has a query or fragment";
    }
    if (uri.toString().contains("$(")) {
      return "has a $(VARIABLE), which only apt can expand";
    }
    return null;
  }
}
