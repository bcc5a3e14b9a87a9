package dev.wheelhouse.server.pypi;

import dev.wheelhouse.server.http.PathSegments;

/**
 * The stable URL of a file: {@code /files/<index>/<project>/<filename>}, and of its provenance:
 * {@code /provenance/<index>/<filename>}; written relative to the page so that the index also works
 * behind a reverse proxy that adds a path prefix.
 */
final class FileLinks {
  private FileLinks() {}

  static String href(String filesBase, PageFile file) {
    return filesBase
        + PathSegments.encode(file.index())
        + '/'
        + PathSegments.encode(file.project())
        + '/'
        + PathSegments.encode(file.filename());
  }

  static String provenanceHref(String provenanceBase, PageFile file) {
    return provenanceBase
        + PathSegments.encode(file.index())
        + '/'
        + PathSegments.encode(file.filename());
  }
}
