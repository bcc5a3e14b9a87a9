package dev.wheelhouse.server.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.storage.FileRecord;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Provenance documents: what an upload may send, and what {@code /provenance/} answers. */
public final class ProvenanceJson {
  /** The largest provenance an upload may carry, in UTF-8 bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ProvenanceJson() {}

  /**
   * Checks the {@code provenance} field of an upload and returns it compacted; throws a 400 with
   * the reason unless it is one JSON object of at most {@value #MAX_BYTES} bytes.
   */
  public static String validate(String field) {
    int bytes = field.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw HttpProblem.badRequest(
          "provenance is " + bytes + " bytes; at most " + MAX_BYTES + " are accepted");
    }
    JsonNode node;
    try {
      node = JSON.readTree(field);
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest(
          "provenance is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      String kind =
          node == null || node.isMissingNode()
              ? "nothing"
              : node.getNodeType().name().toLowerCase(Locale.ROOT);
      throw HttpProblem.badRequest("provenance must be a JSON object, got " + kind);
    }
    return node.toString();
  }

  /**
   * The document {@code /provenance/<index>/<file>} serves: the stored object with the file's name,
   * sha256 and index, and {@code log} (a URL relative to the document) when a build log was kept.
   */
  static byte[] document(String stored, FileRecord file, Optional<String> logUrl) {
    ObjectNode node;
    try {
      node = (ObjectNode) JSON.readTree(stored);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException("stored provenance of " + file.filename() + " is corrupt", e);
    }
    node.put("filename", file.filename());
    node.put("sha256", file.sha256().hex());
    node.put("index", file.index());
    logUrl.ifPresent(url -> node.put("log", url));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
