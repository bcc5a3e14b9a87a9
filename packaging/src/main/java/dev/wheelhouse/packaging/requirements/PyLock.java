package dev.wheelhouse.packaging.requirements;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A PEP 751 lock file ({@code pylock.toml}, lock-version 1.x). */
public record PyLock(
    String lockVersion,
    Optional<String> requiresPython,
    List<String> environments,
    List<LockedPackage> packages) {

  /** One {@code [[packages]]} entry. */
  public record LockedPackage(
      String name,
      Optional<String> version,
      Optional<Marker> marker,
      Optional<String> index,
      Optional<LockedFile> sdist,
      List<LockedFile> wheels,
      boolean hasVcsOrDirectorySource) {}

  /**
   * A file entry: {@code name} (given or taken from the url/path's last segment), url or path,
   * size, and hashes keyed by lowercase algorithm name.
   */
  public record LockedFile(
      String name,
      Optional<String> url,
      Optional<String> path,
      Optional<Long> size,
      Map<String, String> hashes) {}

  /** Parses a pylock.toml text; throws {@link RequirementSyntaxException}. */
  public static PyLock parse(String name, String toml) {
    throw new UnsupportedOperationException("TODO");
  }
}
