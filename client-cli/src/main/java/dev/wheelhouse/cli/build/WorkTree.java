package dev.wheelhouse.cli.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the work directories builds and image assembly leave under the work root. */
final class WorkTree {
  private WorkTree() {}

  /**
   * Deletes {@code root} and everything under it, as far as possible: a file a container left with
   * another owner stays, in the work root, which is a cache directory.
   */
  static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // Left for a later cleanup; nothing reads it again.
    }
  }
}
