package dev.wheelhouse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to build wheels for a project that publishes none for our platforms. Exactly one source is
 * set: {@code git} (with {@code ref}), {@code sdist} or {@code path}.
 *
 * @param name unique recipe name, usually the project name; required
 * @param git source: a git repository URL
 * @param ref the commit (best: reproducible), tag or branch of {@code git}; required with git
 * @param sdist source: a requirement whose sdist is fetched from the default index, e.g. {@code
 *     foo==1.2}
 * @param path source: a directory on the server holding the project
 * @param platforms target container platforms; default {@code [linux/amd64, linux/arm64]}
 * @param python Python versions to build for; default {@code ["3.12"]}
 * @param systemPackages Debian packages installed in the build container first; default none
 * @param env environment variables for the build; default none
 * @param image container image to build in; default the builder's own image
 * @param pipArgs extra arguments for {@code pip wheel}; default none
 */
public record BuildRecipeConfig(
    String name,
    Optional<String> git,
    Optional<String> ref,
    Optional<String> sdist,
    Optional<String> path,
    List<String> platforms,
    List<String> python,
    List<String> systemPackages,
    Map<String, String> env,
    Optional<String> image,
    List<String> pipArgs) {
  public static final List<String> DEFAULT_PLATFORMS = List.of("linux/amd64", "linux/arm64");
  public static final List<String> DEFAULT_PYTHON = List.of("3.12");

  public BuildRecipeConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(sdist, "sdist");
    Objects.requireNonNull(path, "path");
    platforms = List.copyOf(platforms);
    python = List.copyOf(python);
    systemPackages = List.copyOf(systemPackages);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    Objects.requireNonNull(image, "image");
    pipArgs = List.copyOf(pipArgs);
  }
}
