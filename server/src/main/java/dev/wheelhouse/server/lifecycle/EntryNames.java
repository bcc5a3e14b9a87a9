package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.EntryRef;

/**
 * How the storage lifecycle names entries in keep-lists and reports: the project an entry belongs
 * to and its own name, for index files and apt files alike.
 */
public final class EntryNames {
  private EntryNames() {}

  /**
   * The project of an entry: an index file's project; for an apt file the package directory of a
   * pool path ({@code pool/<component>/<prefix>/<package>/...} gives {@code <package>}), else the
   * first path segment (e.g. {@code dists}), so that apt files can be kept by package name.
   */
  public static String project(EntryRef ref) {
    if (ref instanceof EntryRef.IndexFile file) {
      return file.project();
    }
    String path = ((EntryRef.AptFile) ref).path();
    String[] segments = path.split("/", -1);
    if (segments.length >= 5 && segments[0].equals("pool") && !segments[3].isEmpty()) {
      return segments[3];
    }
    return segments[0];
  }

  /** The entry's name within its owner: an index file's filename, an apt file's whole path. */
  public static String name(EntryRef ref) {
    if (ref instanceof EntryRef.IndexFile file) {
      return file.filename();
    }
    // The whole path, not its last segment: by-hash and dists files share last segments.
    return ((EntryRef.AptFile) ref).path();
  }
}
