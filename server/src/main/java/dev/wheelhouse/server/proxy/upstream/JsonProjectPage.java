package dev.wheelhouse.server.proxy.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.packaging.PackagingException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * PEP 691 JSON project pages. Only the page's shape is checked strictly (object, api-version 1.x,
 * name, files array); one malformed file entry is skipped rather than losing the whole project.
 */
final class JsonProjectPage {
  // Trailing garbage means a truncated or concatenated response, not a page.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonProjectPage() {}

  /**
   * The page's name (or {@code fallbackName} if it has none) and every entry that can name a file,
   * in page order; the caller filters by file name.
   */
  static UpstreamProject read(byte[] body, URI pageUrl, Optional<String> fallbackName)
      throws UpstreamFormatException {
    JsonNode root = tree(body);
    if (root.isMissingNode()) {
      throw new UpstreamFormatException("not valid JSON: the body is empty");
    }
    if (!root.isObject()) {
      throw new UpstreamFormatException("not a PEP 691 page: the JSON is not an object");
    }
    JsonNode version = root.path("meta").path("api-version");
    if (!version.isTextual()) {
      throw new UpstreamFormatException("not a PEP 691 page: meta.api-version is missing");
    }
    ApiVersion.check(version.textValue(), "meta.api-version");
    String name =
        text(root, "name")
            .or(() -> fallbackName)
            .orElseThrow(() -> new UpstreamFormatException("not a PEP 691 page: name is missing"));
    JsonNode entries = root.path("files");
    if (!entries.isArray()) {
      throw new UpstreamFormatException("not a PEP 691 project page: files is not an array");
    }
    List<UpstreamFile> files = new ArrayList<>(entries.size());
    for (JsonNode entry : entries) {
      file(entry, pageUrl).ifPresent(files::add);
    }
    return new UpstreamProject(name, files);
  }

  private static JsonNode tree(byte[] body) throws UpstreamFormatException {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new UpstreamFormatException(
          "not valid JSON" + where + ": " + PackagingException.quote(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new UpstreamFormatException("not valid JSON: " + e.getClass().getSimpleName(), e);
    }
  }

  private static Optional<UpstreamFile> file(JsonNode entry, URI pageUrl) {
    Optional<String> filename = text(entry, "filename");
    Optional<FileLink> link = text(entry, "url").flatMap(url -> FileLink.resolve(pageUrl, url));
    if (filename.isEmpty() || link.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new UpstreamFile(
            filename.get(),
            link.get().url(),
            text(entry.path("hashes"), "sha256")
                .flatMap(Sha256Hex::parse)
                .or(() -> link.get().fragmentSha256()),
            text(entry, "requires-python").filter(s -> !s.isBlank()),
            yanked(entry.path("yanked")),
            coreMetadata(entry),
            size(entry.path("size")),
            text(entry, "upload-time").flatMap(JsonProjectPage::instant)));
  }

  // PEP 592 in JSON: true, or a string giving the reason.
  private static Optional<String> yanked(JsonNode yanked) {
    if (yanked.isTextual()) {
      return Optional.of(yanked.textValue());
    }
    return yanked.isBoolean() && yanked.booleanValue() ? Optional.of("") : Optional.empty();
  }

  // PEP 714 renamed dist-info-metadata; a present core-metadata key wins even when false.
  private static Optional<CoreMetadataRef> coreMetadata(JsonNode entry) {
    JsonNode value = entry.path("core-metadata");
    if (value.isMissingNode() || value.isNull()) {
      value = entry.path("dist-info-metadata");
    }
    if (value.isObject()) {
      return Optional.of(new CoreMetadataRef(text(value, "sha256").flatMap(Sha256Hex::parse)));
    }
    return value.isBoolean() && value.booleanValue()
        ? Optional.of(new CoreMetadataRef(Optional.empty()))
        : Optional.empty();
  }

  private static OptionalLong size(JsonNode size) {
    return size.isIntegralNumber() && size.canConvertToLong() && size.longValue() >= 0
        ? OptionalLong.of(size.longValue())
        : OptionalLong.empty();
  }

  // PEP 700 writes UTC with microseconds; ISO offsets parse too. Unreadable times are dropped.
  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode object, String key) {
    JsonNode value = object.path(key);
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }
}
