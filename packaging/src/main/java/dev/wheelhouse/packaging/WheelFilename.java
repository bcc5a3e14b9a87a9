package dev.wheelhouse.packaging;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A wheel file name (PEP 427, binary distribution format): {@code {distribution}-{version}(-{build
 * tag})?-{python tag}-{abi tag}-{platform tag}.whl}. Tag parts may be compressed tag sets such as
 * {@code py2.py3}.
 */
public record WheelFilename(
    String filename,
    String distribution,
    ProjectName project,
    Version version,
    Optional<String> buildTag,
    List<String> pythonTags,
    List<String> abiTags,
    List<String> platformTags)
    implements DistributionFilename {

  static final String EXTENSION = ".whl";

  // Escaped names only use [A-Za-z0-9_.]; ProjectName then rejects leading/trailing separators.
  private static final Pattern DISTRIBUTION = Pattern.compile("[A-Za-z0-9_.]+");
  private static final Pattern BUILD_TAG = Pattern.compile("[0-9][A-Za-z0-9_.]*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern DASH = Pattern.compile("-");
  private static final Pattern DOT = Pattern.compile("\\.");

  public WheelFilename {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(buildTag, "buildTag");
    pythonTags = List.copyOf(pythonTags);
    abiTags = List.copyOf(abiTags);
    platformTags = List.copyOf(platformTags);
  }

  /** Parses a wheel file name; throws {@link InvalidFilenameException}. */
  public static WheelFilename parse(String filename) {
    DistributionFilename.requireSafe(filename);
    if (!filename.endsWith(EXTENSION)) {
      throw invalid(filename, "a wheel must end with .whl");
    }
    String stem = filename.substring(0, filename.length() - EXTENSION.length());
    String[] parts = DASH.split(stem, -1);
    if (parts.length != 5 && parts.length != 6) {
      throw invalid(
          filename,
          "expected {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl");
    }
    String distribution = parts[0];
    if (!DISTRIBUTION.matcher(distribution).matches() || !ProjectName.isValid(distribution)) {
      throw invalid(
          filename, "invalid distribution name " + PackagingException.quote(distribution));
    }
    Version version;
    try {
      version = Version.parse(parts[1]);
    } catch (InvalidVersionException e) {
      throw invalid(filename, e.getMessage());
    }
    Optional<String> buildTag = Optional.empty();
    if (parts.length == 6) {
      if (!BUILD_TAG.matcher(parts[2]).matches()) {
        throw invalid(
            filename,
            "invalid build tag "
                + PackagingException.quote(parts[2])
                + ": must start with a digit");
      }
      buildTag = Optional.of(parts[2]);
    }
    int tagsAt = parts.length - 3;
    return new WheelFilename(
        filename,
        distribution,
        ProjectName.of(distribution),
        version,
        buildTag,
        tagSet(filename, parts[tagsAt]),
        tagSet(filename, parts[tagsAt + 1]),
        tagSet(filename, parts[tagsAt + 2]));
  }

  private static List<String> tagSet(String filename, String compressed) {
    List<String> tags = List.of(DOT.split(compressed, -1));
    for (String tag : tags) {
      if (!TAG.matcher(tag).matches()) {
        throw invalid(filename, "invalid tag " + PackagingException.quote(compressed));
      }
    }
    return tags;
  }

  private static InvalidFilenameException invalid(String filename, String reason) {
    return new InvalidFilenameException(
        "invalid wheel file name " + PackagingException.quote(filename) + ": " + reason);
  }

  /** Every tag the wheel supports: the product of its python, abi and platform tag sets. */
  public Set<Tag> tags() {
    Set<Tag> tags = new LinkedHashSet<>();
    for (String python : pythonTags) {
      for (String abi : abiTags) {
        for (String platform : platformTags) {
          tags.add(new Tag(python, abi, platform));
        }
      }
    }
    return Collections.unmodifiableSet(tags);
  }

  /** True for pure wheels that install on any platform. */
  public boolean isPlatformIndependent() {
    return platformTags.stream().allMatch("any"::equals);
  }
}
