package dev.wheelhouse.server.proxy.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/** Fixture pages under {@code src/test/resources/upstream-pages/}. */
final class TestPages {
  private TestPages() {}

  static byte[] resource(String name) {
    String path = "/upstream-pages/" + name;
    try (InputStream in = Objects.requireNonNull(TestPages.class.getResourceAsStream(path), path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  static List<String> filenames(UpstreamProject project) {
    return project.files().stream().map(UpstreamFile::filename).toList();
  }

  static UpstreamFile file(UpstreamProject project, String filename) {
    return project.files().stream()
        .filter(f -> f.filename().equals(filename))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + filename + " in " + filenames(project)));
  }
}
