package dev.wheelhouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One package index. Keys that do not apply to the index's type are rejected by the loader and hold
 * their defaults here.
 *
 * @param name {@code [a-z0-9][a-z0-9._-]*}, unique; appears in {@code /index/<name>/simple/}
 * @param type hosted, proxy or group; required
 * @param url proxy only, required there: the upstream simple index (http or https; a trailing / is
 *     added)
 * @param ttl proxy only: how long a fetched project page counts as fresh; default 10m
 * @param members group only: member index names, in lookup order; required there
 * @param routes group only: project pattern to the members that alone serve matching projects, in
 *     the order written; default none
 * @param include proxy only: project patterns fetched from upstream; default {@code ["*"]}
 * @param exclude proxy only: project patterns never fetched, even if included; default none
 * @param mergeAllowed group only: projects allowed to merge hosted and proxy files (opting out of
 *     dependency-confusion protection); default none
 * @param username proxy only: upstream basic-auth user; default none
 * @param password proxy only: upstream basic-auth password; default none
 * @param connectTimeout proxy only: upstream connect timeout; default 10s
 * @param readTimeout proxy only: upstream idle read timeout; default 60s
 */
public record IndexConfig(
    String name,
    IndexType type,
    Optional<URI> url,
    Duration ttl,
    List<String> members,
    Map<String, List<String>> routes,
    List<String> include,
    List<String> exclude,
    List<String> mergeAllowed,
    Optional<String> username,
    Optional<String> password,
    Duration connectTimeout,
    Duration readTimeout) {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  public static final List<String> DEFAULT_INCLUDE = List.of("*");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  public IndexConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(ttl, "ttl");
    members = List.copyOf(members);
    routes = copyRoutes(routes);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    mergeAllowed = List.copyOf(mergeAllowed);
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
  }

  /** A hosted index with defaults. */
  public static IndexConfig hosted(String name) {
    return of(name, IndexType.HOSTED, Optional.empty(), List.of());
  }

  /** A proxy of {@code url} with defaults. */
  public static IndexConfig proxy(String name, URI url) {
    return of(name, IndexType.PROXY, Optional.of(url), List.of());
  }

  /** A group of {@code members} with defaults. */
  public static IndexConfig group(String name, List<String> members) {
    return of(name, IndexType.GROUP, Optional.empty(), members);
  }

  private static IndexConfig of(
      String name, IndexType type, Optional<URI> url, List<String> members) {
    return new IndexConfig(
        name,
        type,
        url,
        DEFAULT_TTL,
        members,
        Map.of(),
        DEFAULT_INCLUDE,
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT);
  }

  // Map.copyOf would lose the order routes are tried in.
  private static Map<String, List<String>> copyRoutes(Map<String, List<String>> routes) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    routes.forEach((pattern, targets) -> copy.put(pattern, List.copyOf(targets)));
    return Collections.unmodifiableMap(copy);
  }

  /** Like the record's, but never shows the upstream password (configs end up in logs). */
  @Override
  public String toString() {
    return "IndexConfig[name="
        + name
        + ", type="
        + type
        + ", url="
        + url
        + ", ttl="
        + ttl
        + ", members="
        + members
        + ", routes="
        + routes
        + ", include="
        + include
        + ", exclude="
        + exclude
        + ", mergeAllowed="
        + mergeAllowed
        + ", username="
        + username
        + ", password="
        + password.map(p -> "***")
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + "]";
  }
}
