package dev.wheelhouse.server.upload;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** An upload as the legacy API delivers it: the form fields and the received file on disk. */
public record UploadRequest(String index, String filename, Path content, Map<String, String> form) {
  public UploadRequest {
    form = Map.copyOf(form);
  }

  Optional<String> field(String name) {
    String value = form.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
