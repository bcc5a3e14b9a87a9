package dev.wheelhouse.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration, validated. Obtain it from {@link ConfigLoader}.
 *
 * @param listen address of the HTTP server; default 127.0.0.1:8080
 * @param data data directory (blobs, metadata, temp files), as given: relative paths resolve
 *     against the working directory; default ./data
 * @param auth tokens and anonymous reads
 * @param indexes the package indexes; default a hosted {@code local} and a group {@code all} of it
 * @param defaultIndex the index {@code /simple/} serves; default the first group, else the first
 *     index
 * @param upload uploads through {@code POST /legacy/}
 * @param pages caching of index pages
 * @param offline serve only what is cached, never contact an upstream; default false
 * @param apt the apt pull-through cache
 * @param prune what pruning removes
 * @param builds wheel build recipes; default none
 */
public record WheelhouseConfig(
    HostPort listen,
    Path data,
    AuthConfig auth,
    List<IndexConfig> indexes,
    String defaultIndex,
    UploadConfig upload,
    PagesConfig pages,
    boolean offline,
    AptConfig apt,
    PruneConfig prune,
    List<BuildRecipeConfig> builds) {
  public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 8080);
  public static final Path DEFAULT_DATA = Paths.get("./data");

  public WheelhouseConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(auth, "auth");
    indexes = List.copyOf(indexes);
    Objects.requireNonNull(defaultIndex, "defaultIndex");
    Objects.requireNonNull(upload, "upload");
    Objects.requireNonNull(pages, "pages");
    Objects.requireNonNull(apt, "apt");
    Objects.requireNonNull(prune, "prune");
    builds = List.copyOf(builds);
  }

  /** The index called {@code name}, if configured. */
  public Optional<IndexConfig> index(String name) {
    return indexes.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** The build recipe called {@code name}, if configured. */
  public Optional<BuildRecipeConfig> build(String name) {
    return builds.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** This configuration listening elsewhere (tests use port 0). */
  public WheelhouseConfig withListen(HostPort newListen) {
    return new WheelhouseConfig(
        newListen, data, auth, indexes, defaultIndex, upload, pages, offline, apt, prune, builds);
  }

  /** This configuration with another data directory (tests use a temp directory). */
  public WheelhouseConfig withData(Path newData) {
    return new WheelhouseConfig(
        listen, newData, auth, indexes, defaultIndex, upload, pages, offline, apt, prune, builds);
  }
}
