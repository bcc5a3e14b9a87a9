package dev.wheelhouse.server.pypi;

import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.storage.FileRecord;

/**
 * The stable URL of a file: {@code /files/<index>/<project>/<filename>}, written relative to the
 * page so that the index also works behind a reverse proxy that adds a path prefix.
 */
final class FileLinks {
  private FileLinks() {}

  static String href(String filesBase, FileRecord file) {
    return filesBase
        + PathSegments.encode(file.index())
        + '/'
        + PathSegments.encode(file.project())
        + '/'
        + PathSegments.encode(file.filename());
  }
}
