package dev.wheelhouse.cli.build;

import java.nio.file.Path;

/** Where a build's project comes from. */
public sealed interface BuildSource {

  /** One line for provenance and messages, e.g. {@code git+https://host/repo@<commit>}. */
  String describe();

  /** A short name for console prefixes and tables. */
  String shortName();

  /** A key that is the same for two builds of the same source, for the one-at-a-time lock. */
  default String lockKey() {
    return describe();
  }

  /** A git repository at a ref; the commit actually built is recorded in the provenance. */
  record Git(String url, String ref) implements BuildSource {
    @Override
    public String describe() {
      return "git+" + url + "@" + ref;
    }

    @Override
    public String shortName() {
      String path = url.replaceAll("/+$", "");
      String repository = path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.git$", "");
      return repository + "@" + (ref.length() > 12 ? ref.substring(0, 12) : ref);
    }
  }

  /** An sdist of {@code project==version}, downloaded from the server's index. */
  record Sdist(String project, String version) implements BuildSource {
    @Override
    public String describe() {
      return "sdist:" + project + "==" + version;
    }

    @Override
    public String shortName() {
      return project + "==" + version;
    }
  }

  /** A project directory on this machine. */
  record LocalPath(Path directory) implements BuildSource {
    @Override
    public String describe() {
      return "path:" + directory.toAbsolutePath().normalize();
    }

    @Override
    public String shortName() {
      Path name = directory.toAbsolutePath().normalize().getFileName();
      return name == null ? "/" : name.toString();
    }
  }
}
