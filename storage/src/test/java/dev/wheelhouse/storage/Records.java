package dev.wheelhouse.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Test records with sensible defaults. */
final class Records {
  static final Instant UPLOADED = Instant.parse("2024-05-01T12:00:00.123456789Z");
  static final Instant FETCHED = Instant.parse("2024-06-02T08:30:00.987654321Z");

  private Records() {}

  static Sha256 sha(String content) {
    return Sha256.digest(content.getBytes(StandardCharsets.UTF_8));
  }

  /** A file with no optional fields. */
  static FileRecord file(String index, String project, String filename) {
    return new FileRecord(
        index,
        project,
        filename,
        "1.0",
        sha(index + "/" + project + "/" + filename),
        1000 + filename.length(),
        UPLOADED,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of());
  }

  /** A file with every optional field present. */
  static FileRecord fullFile(String index, String project, String filename) {
    return new FileRecord(
        index,
        project,
        filename,
        "2.0.post1",
        sha("full " + filename),
        123_456_789_012L,
        UPLOADED,
        Optional.of(">=3.9, <4"),
        Optional.of("broken on arm64 — use 2.0.1"),
        Optional.of(sha("METADATA of " + filename)),
        Map.of("md5", "0123456789abcdef0123456789abcdef", "blake2b_256", "ff".repeat(32)));
  }

  /** A 200 page of {@code index} for {@code project}, with both validators. */
  static UpstreamPage upstreamPage(String index, String project) {
    return new UpstreamPage(
        index,
        project,
        200,
        URI.create("https://pypi.org/simple/" + project + "/"),
        "application/vnd.pypi.simple.v1+json",
        ("{\"name\": \"" + project + "\", \"index\": \"" + index + "\"}")
            .getBytes(StandardCharsets.UTF_8),
        Optional.of("\"etag-" + index + "-" + project + "\""),
        Optional.of("Sun, 02 Jun 2024 08:30:00 GMT"),
        FETCHED);
  }

  /** A remembered 404: empty body, no validators. */
  static UpstreamPage upstreamNotFound(String index, String project) {
    return new UpstreamPage(
        index,
        project,
        404,
        URI.create("https://pypi.org/simple/" + project + "/"),
        "text/html",
        new byte[0],
        Optional.empty(),
        Optional.empty(),
        FETCHED);
  }

  /** {@code size} deterministic pseudo-random bytes. */
  static byte[] bytes(int size, long seed) {
    try {
      return new GeneratedInputStream(size, seed).readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
