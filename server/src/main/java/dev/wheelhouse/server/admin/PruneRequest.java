package dev.wheelhouse.server.admin;

import dev.wheelhouse.config.DataSize;
import dev.wheelhouse.config.Durations;
import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.config.PruneConfig;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.lifecycle.PrunePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The policy of one prune: the configured {@code prune} section, with what the request overrides. A
 * bad value is a 400 naming the key.
 *
 * @param config the configured policy
 * @param evictable indexes and mirrors whose entries may go: proxies, apt mirrors, and the hosted
 *     indexes {@code prune.hosted} lists
 * @param known every index and mirror name
 */
public record PruneRequest(PruneConfig config, Set<String> evictable, Set<String> known) {

  /** The configured policy alone, as scheduled pruning applies it. */
  public PrunePolicy configured() {
    return policy(new JsonObject());
  }

  PrunePolicy policy(JsonObject body) {
    OptionalLong maxBytes =
        size(body, "maxSize").or(() -> config.maxSize().map(DataSize::bytes)).stream()
            .mapToLong(Long::longValue)
            .findFirst();
    Optional<Duration> maxAge = value(body, "maxAge", Durations::parse).or(config::maxAge);
    OptionalLong minFree =
        size(body, "minFree").or(() -> config.minFree().map(DataSize::bytes)).stream()
            .mapToLong(Long::longValue)
            .findFirst();
    List<ProjectPattern> keep = new ArrayList<>();
    config.keep().forEach(glob -> keep.add(new ProjectPattern(glob)));
    strings(body, "keep").forEach(glob -> keep.add(pattern(glob)));
    Set<String> owners = new LinkedHashSet<>(evictable);
    List<String> only = strings(body, "indexes");
    if (!only.isEmpty()) {
      for (String name : only) {
        if (!known.contains(name)) {
          throw HttpProblem.badRequest("indexes: no index or apt mirror named '" + name + "'");
        }
        if (!evictable.contains(name)) {
          throw HttpProblem.badRequest(
              "indexes: '"
                  + name
                  + "' is a hosted index; its uploads are pruned only when prune.hosted lists it");
        }
      }
      owners.retainAll(only);
    }
    return new PrunePolicy(maxBytes, maxAge, minFree, keep, owners);
  }

  static boolean apply(JsonObject body) {
    Object apply = body.getValue("apply");
    if (apply != null && !(apply instanceof Boolean)) {
      throw HttpProblem.badRequest("apply: expected true or false");
    }
    return Boolean.TRUE.equals(apply);
  }

  private static Optional<Long> size(JsonObject body, String key) {
    return value(body, key, text -> DataSize.parse(text).bytes());
  }

  private static <T> Optional<T> value(JsonObject body, String key, Function<String, T> parser) {
    Object value = body.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw HttpProblem.badRequest(key + ": expected a string like \"200GB\" or \"30d\"");
    }
    try {
      return Optional.of(parser.apply(text));
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(key + ": " + e.getMessage());
    }
  }

  private static List<String> strings(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw HttpProblem.badRequest(key + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text) || text.isBlank()) {
        throw HttpProblem.badRequest(key + ": expected a list of strings");
      }
      out.add(text);
    }
    return out;
  }

  private static ProjectPattern pattern(String glob) {
    try {
      return new ProjectPattern(glob);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("keep: " + e.getMessage());
    }
  }
}
