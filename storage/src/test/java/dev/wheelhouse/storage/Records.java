package dev.wheelhouse.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Test records with sensible defaults. */
final class Records {
  static final Instant UPLOADED = Instant.parse("2024-05-01T12:00:00.123456789Z");

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
}
