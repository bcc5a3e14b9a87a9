package dev.wheelhouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds {@code indexes}: each entry on its own, plus unique names. Checks across indexes (members
 * exist, no cycles) come after, in {@link IndexReferences}, once every name is known.
 */
final class IndexBinder {
  private static final Function<String, IndexType> TYPE =
      Scalars.lowercaseEnum(IndexType.class, "index type");
  private static final List<String> PROXY_KEYS =
      List.of(
          "url",
          "ttl",
          "include",
          "exclude",
          "username",
          "password",
          "connect-timeout",
          "read-timeout");
  private static final List<String> GROUP_KEYS = List.of("members", "routes", "merge-allowed");

  /** An index that has a valid name and type, with where it is written. */
  record Entry(String path, IndexConfig config) {
    String memberPath(int member) {
      return Node.itemPath(Node.childPath(path, "members"), member);
    }
  }

  /**
   * The indexes that could be bound, and every name declared, even by entries too broken to bind,
   * so that references to them are not reported a second time as unknown.
   */
  record Result(List<Entry> entries, Set<String> declaredNames, int listed) {}

  private IndexBinder() {}

  static Result bind(Node node) {
    List<Entry> entries = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    UniqueNames names = new UniqueNames("index name");
    List<Node> items = node.items();
    for (Node item : items) {
      Fields index = item.fields();
      Node nameNode = index.get("name");
      Optional<String> name = nameNode.required(Scalars::name);
      nameNode.text().ifPresent(declared::add);
      name.ifPresent(n -> names.claim(n, nameNode, item.path()));
      Optional<IndexType> type = index.get("type").required(TYPE);
      Optional<IndexConfig> config = type.map(t -> bindTyped(index, name.orElse(""), t));
      if (type.isEmpty()) {
        // Without a type the other keys cannot be judged; at least do not call them unknown.
        PROXY_KEYS.forEach(index::get);
        GROUP_KEYS.forEach(index::get);
      }
      index.rejectUnknown();
      if (name.isPresent()) {
        config.ifPresent(c -> entries.add(new Entry(item.path(), c)));
      }
    }
    return new Result(List.copyOf(entries), Set.copyOf(declared), items.size());
  }

  private static IndexConfig bindTyped(Fields index, String name, IndexType type) {
    rejectKeysOfOtherTypes(index, type);
    Optional<URI> url = Optional.empty();
    Duration ttl = IndexConfig.DEFAULT_TTL;
    List<String> include = IndexConfig.DEFAULT_INCLUDE;
    List<String> exclude = List.of();
    Optional<String> username = Optional.empty();
    Optional<String> password = Optional.empty();
    Duration connectTimeout = IndexConfig.DEFAULT_CONNECT_TIMEOUT;
    Duration readTimeout = IndexConfig.DEFAULT_READ_TIMEOUT;
    List<String> members = List.of();
    Map<String, List<String>> routes = Map.of();
    List<String> mergeAllowed = List.of();
    if (type == IndexType.PROXY) {
      url = index.get("url").required(Scalars::baseUrl);
      ttl = index.get("ttl").as(Durations::parse).orElse(ttl);
      include = patterns(index.get("include"), include);
      exclude = patterns(index.get("exclude"), exclude);
      Node usernameNode = index.get("username");
      Node passwordNode = index.get("password");
      username = usernameNode.as(Scalars::nonBlank);
      password = passwordNode.as(Function.identity());
      if (usernameNode.isPresent() != passwordNode.isPresent()) {
        (usernameNode.isPresent() ? passwordNode : usernameNode)
            .error("username and password go together");
      }
      connectTimeout =
          index.get("connect-timeout").as(Scalars::positiveDuration).orElse(connectTimeout);
      readTimeout = index.get("read-timeout").as(Scalars::positiveDuration).orElse(readTimeout);
    } else if (type == IndexType.GROUP) {
      members = members(index.get("members"), name);
      routes = routes(index.get("routes"), members);
      mergeAllowed = patterns(index.get("merge-allowed"), mergeAllowed);
    }
    return new IndexConfig(
        name,
        type,
        url,
        ttl,
        members,
        routes,
        include,
        exclude,
        mergeAllowed,
        username,
        password,
        connectTimeout,
        readTimeout);
  }

  private static void rejectKeysOfOtherTypes(Fields index, IndexType type) {
    String typeName = type.name().toLowerCase(Locale.ROOT);
    if (type != IndexType.PROXY) {
      for (String key : PROXY_KEYS) {
        rejectIfPresent(
            index.get(key), "only proxy indexes have '" + key + "' (this one is " + typeName + ")");
      }
    }
    if (type != IndexType.GROUP) {
      for (String key : GROUP_KEYS) {
        rejectIfPresent(
            index.get(key), "only group indexes have '" + key + "' (this one is " + typeName + ")");
      }
    }
  }

  private static void rejectIfPresent(Node node, String message) {
    if (node.isPresent()) {
      node.error(message);
    }
  }

  private static List<String> patterns(Node node, List<String> defaults) {
    return node.isPresent() ? node.list(Scalars::pattern) : defaults;
  }

  /** Member names as written, keeping positions aligned with the YAML list for later errors. */
  private static List<String> members(Node node, String groupName) {
    if (!node.isPresent() || (node.isList() && node.items().isEmpty())) {
      node.error("a group needs at least one member");
      return List.of();
    }
    List<String> members = new ArrayList<>();
    for (Node item : node.items()) {
      String member = item.as(Scalars::name).orElse("");
      if (member.equals(groupName)) {
        item.error("a group cannot contain itself");
      } else if (!member.isEmpty() && members.contains(member)) {
        item.error("duplicate member '" + member + "'");
      }
      members.add(member);
    }
    return members;
  }

  private static Map<String, List<String>> routes(Node node, List<String> members) {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (Map.Entry<String, Node> route : node.fields().entries().entrySet()) {
      Node targets = route.getValue();
      try {
        Scalars.pattern(route.getKey());
      } catch (IllegalArgumentException e) {
        targets.error(e.getMessage());
      }
      if (!targets.isList() || targets.items().isEmpty()) {
        targets.error("expected a list of at least one member of this group");
        continue;
      }
      List<String> names = new ArrayList<>();
      for (Node target : targets.items()) {
        target
            .as(Scalars::nonBlank)
            .ifPresent(
                member -> {
                  if (!members.contains(member)) {
                    target.error("'" + member + "' is not a member of this group");
                  }
                  names.add(member);
                });
      }
      routes.put(route.getKey(), names);
    }
    return routes;
  }
}
