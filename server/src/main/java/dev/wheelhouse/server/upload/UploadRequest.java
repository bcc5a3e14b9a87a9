package dev.wheelhouse.server.upload;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An upload as the legacy API delivers it: the form fields and the received files on disk.
 *
 * @param content the distribution file
 * @param buildLog the {@code build_log} file part, which comes with a {@code provenance} field
 */
public record UploadRequest(
    String index,
    String filename,
    Path content,
    Map<String, String> form,
    Optional<Path> buildLog) {
  public UploadRequest {
    form = Map.copyOf(form);
    Objects.requireNonNull(buildLog, "buildLog");
  }

  /** An upload without a build log. */
  public UploadRequest(String index, String filename, Path content, Map<String, String> form) {
    this(index, filename, content, form, Optional.empty());
  }

  Optional<String> field(String name) {
    String value = form.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** A field as sent, blank or not. */
  Optional<String> rawField(String name) {
    return Optional.ofNullable(form.get(name));
  }
}
