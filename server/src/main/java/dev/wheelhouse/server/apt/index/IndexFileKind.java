package dev.wheelhouse.server.apt.index;

/** What a file a Release lists is, as far as the cache cares: which pool files it names, if any. */
public enum IndexFileKind {
  /** A binary {@code Packages} index, compressed or not. */
  PACKAGES,
  /** A source {@code Sources} index, compressed or not. */
  SOURCES,
  /** Anything else: Contents, Translation, diffs, by-hash paths. */
  OTHER;

  /**
   * The kind of the file at {@code relativePath}, e.g. {@code main/binary-amd64/Packages.xz}, by
   * its last segment without a {@link Compression} extension.
   */
  public static IndexFileKind of(String relativePath) {
    String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
    String base = name.substring(0, name.length() - Compression.ofPath(name).extension().length());
    return switch (base) {
      case "Packages" -> PACKAGES;
      case "Sources" -> SOURCES;
      default -> OTHER;
    };
  }
}
