package dev.wheelhouse.server.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Provenance;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the files built last from their provenance, in one pass over the provenance rows (only
 * built files have one) holding no more rows than asked for. Blocking: call on a worker thread.
 */
public final class RecentBuilds {
  private static final Logger LOG = LoggerFactory.getLogger(RecentBuilds.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<RecentBuild> LATEST_FIRST =
      Comparator.comparing(RecentBuild::builtAt)
          .reversed()
          .thenComparing(RecentBuild::index)
          .thenComparing(RecentBuild::filename);

  private final IndexRegistry registry;
  private final MetadataStore metadata;

  public RecentBuilds(IndexRegistry registry, MetadataStore metadata) {
    this.registry = registry;
    this.metadata = metadata;
  }

  /** The {@code limit} files of hosted indexes built last, most recent first. */
  public List<RecentBuild> latest(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit: " + limit);
    }
    // The heap's head is the build to drop first: the oldest kept.
    PriorityQueue<RecentBuild> kept = new PriorityQueue<>(LATEST_FIRST.reversed());
    metadata.forEachProvenance(
        (file, provenance) -> {
          // Files of an index no longer configured have no provenance document to link to.
          boolean hosted =
              registry
                  .find(file.index())
                  .filter(index -> index.type() == IndexType.HOSTED)
                  .isPresent();
          if (!hosted) {
            return;
          }
          Optional<RecentBuild> build = summary(file, provenance);
          if (build.isPresent()) {
            kept.add(build.get());
            if (kept.size() > limit) {
              kept.poll();
            }
          }
        });
    List<RecentBuild> latest = new ArrayList<>(kept);
    latest.sort(LATEST_FIRST);
    return latest;
  }

  /** The build of {@code file}; empty if the file went away since its provenance was read. */
  private Optional<RecentBuild> summary(EntryRef.IndexFile file, Provenance provenance) {
    JsonNode json = parse(file, provenance.json());
    Optional<Instant> builtAt = instant(json.path("built-at"));
    if (builtAt.isEmpty()) {
      builtAt =
          metadata
              .getFile(file.index(), file.project(), file.filename())
              .map(FileRecord::uploadTime);
      if (builtAt.isEmpty()) {
        return Optional.empty();
      }
    }
    JsonNode emulated = json.path("emulated");
    JsonNode duration = json.path("duration-seconds");
    return Optional.of(
        new RecentBuild(
            file.index(),
            file.project(),
            file.filename(),
            text(json.path("platform")),
            text(json.path("python")),
            text(json.path("source")),
            emulated.isBoolean() ? Optional.of(emulated.booleanValue()) : Optional.empty(),
            duration.isNumber()
                    && duration.doubleValue() >= 0
                    && Double.isFinite(duration.doubleValue())
                ? Optional.of(duration.doubleValue())
                : Optional.empty(),
            builtAt.get(),
            provenance.buildLog().isPresent()));
  }

  /** The stored object; a missing node (every field absent) if it cannot be read. */
  private static JsonNode parse(EntryRef.IndexFile file, String stored) {
    try {
      JsonNode json = JSON.readTree(stored);
      return json == null ? MissingNode.getInstance() : json;
    } catch (JsonProcessingException e) {
      LOG.warn("stored provenance of {} is not JSON: {}", file, e.getOriginalMessage());
      return MissingNode.getInstance();
    }
  }

  private static Optional<String> text(JsonNode node) {
    if (!node.isValueNode() || node.isNull()) {
      return Optional.empty();
    }
    String text = node.asText().strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** An ISO-8601 instant with an offset, as the builder writes {@code built-at}. */
  private static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(node.textValue().strip()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
