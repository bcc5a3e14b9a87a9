package dev.wheelhouse.packaging;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A source distribution file name: {@code {name}-{version}.tar.gz} or {@code .zip}. Legacy sdists
 * may have dashes in the name part, so the split is at the last dash followed by a valid version.
 */
public record SdistFilename(
    String filename, String distribution, ProjectName project, Version version, String extension)
    implements DistributionFilename {

  private static final List<String> EXTENSIONS = List.of(".tar.gz", ".zip");

  public SdistFilename {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(extension, "extension");
  }

  /** Parses an sdist file name; throws {@link InvalidFilenameException}. */
  public static SdistFilename parse(String filename) {
    DistributionFilename.requireSafe(filename);
    String extension =
        extensionOf(filename)
            .orElseThrow(
                () ->
                    new InvalidFilenameException(
                        "unsupported file type "
                            + PackagingException.quote(filename)
                            + ": expected .whl, .tar.gz or .zip"));
    String stem = filename.substring(0, filename.length() - extension.length());
    for (int dash = stem.lastIndexOf('-'); dash > 0; dash = stem.lastIndexOf('-', dash - 1)) {
      String name = stem.substring(0, dash);
      String version = stem.substring(dash + 1);
      if (ProjectName.isValid(name) && Version.isValid(version)) {
        return new SdistFilename(
            filename, name, ProjectName.of(name), Version.parse(version), extension);
      }
    }
    throw new InvalidFilenameException(
        "invalid sdist file name "
            + PackagingException.quote(filename)
            + ": expected {name}-{version}"
            + extension
            + " with a PEP 440 version");
  }

  private static Optional<String> extensionOf(String filename) {
    return EXTENSIONS.stream().filter(filename::endsWith).findFirst();
  }
}
