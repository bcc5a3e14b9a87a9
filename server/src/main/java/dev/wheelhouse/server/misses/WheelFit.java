package dev.wheelhouse.server.misses;

import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Tag;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import dev.wheelhouse.server.pypi.PageFile;
import java.util.List;
import java.util.Optional;

/**
 * Whether a project page offers a client a wheel, and which sdist it would build otherwise.
 * Requires-Python is not considered; yanked files are, as pip does, left out.
 */
final class WheelFit {
  private WheelFit() {}

  /** Whether any file is a wheel with a tag the target accepts. */
  static boolean anyWheelFits(List<PageFile> files, TargetEnvironment target) {
    for (PageFile file : files) {
      if (file.yanked().isPresent() || !file.filename().endsWith(".whl")) {
        continue;
      }
      WheelFilename wheel;
      try {
        wheel = WheelFilename.parse(file.filename());
      } catch (PackagingException e) {
        continue; // a proxied page may list names this server would not accept
      }
      for (Tag tag : wheel.tags()) {
        if (target.priority(tag).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The newest version with an sdist: a final release if there is one, else a pre-release. */
  static Optional<String> newestSdist(List<PageFile> files) {
    Version newestFinal = null;
    Version newestAny = null;
    for (PageFile file : files) {
      if (file.yanked().isPresent()) {
        continue;
      }
      Optional<Version> version = sdistVersion(file.filename());
      if (version.isEmpty()) {
        continue;
      }
      Version v = version.get();
      if (newestAny == null || v.compareTo(newestAny) > 0) {
        newestAny = v;
      }
      if (!v.isPreRelease() && (newestFinal == null || v.compareTo(newestFinal) > 0)) {
        newestFinal = v;
      }
    }
    return Optional.ofNullable(newestFinal != null ? newestFinal : newestAny)
        .map(Version::toString);
  }

  /** The version of an sdist's file name; empty for wheels and unreadable names. */
  static Optional<Version> sdistVersion(String filename) {
    if (!filename.endsWith(".tar.gz") && !filename.endsWith(".zip")) {
      return Optional.empty();
    }
    try {
      DistributionFilename parsed = DistributionFilename.parse(filename);
      return parsed instanceof SdistFilename sdist
          ? Optional.of(sdist.version())
          : Optional.empty();
    } catch (PackagingException e) {
      return Optional.empty();
    }
  }
}
