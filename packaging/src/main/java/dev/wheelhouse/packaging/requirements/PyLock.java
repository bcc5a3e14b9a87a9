package dev.wheelhouse.packaging.requirements;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PEP 751 lock file ({@code pylock.toml}, lock-version 1.x).
 *
 * @param lockVersion the {@code lock-version} as written
 * @param requiresPython the {@code requires-python} specifiers as written
 * @param environments the {@code environments} markers as written
 * @param packages the {@code [[packages]]} entries in file order
 */
public record PyLock(
    String lockVersion,
    Optional<String> requiresPython,
    List<String> environments,
    List<LockedPackage> packages) {

  /**
   * One {@code [[packages]]} entry.
   *
   * @param name the normalized project name
   * @param version the version as written, if locked
   * @param marker when the package is installed
   * @param index the index URL it was locked from
   * @param sdist the source distribution
   * @param wheels the wheels, in file order
   * @param hasVcsOrDirectorySource whether it comes from a {@code vcs}, {@code directory} or {@code
   *     archive} source instead of an sdist or wheels
   */
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

  /**
   * Parses a pylock.toml text; throws {@link RequirementSyntaxException}.
   *
   * <p>{@code name} names the file in messages. Lock versions 1.x are read; other major versions
   * are refused, as PEP 751 says. Every file needs a url or path and at least one hash; a package
   * needs an sdist or wheels, or else exactly one of vcs, directory and archive. Package names are
   * normalized; markers, {@code requires-python} and versions are checked.
   */
  public static PyLock parse(String name, String toml) {
    return new PyLockReader(name).read(toml);
  }
}
