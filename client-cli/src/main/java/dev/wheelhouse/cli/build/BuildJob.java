package dev.wheelhouse.cli.build;

import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One build: a source for one target, in one image, uploaded to one hosted index.
 *
 * @param recipe the recipe's name, when it came from one
 * @param source where the project comes from
 * @param target the interpreter and platform the wheel is for
 * @param image the container image to build in
 * @param systemPackages Debian packages to install in the container first
 * @param env environment variables for the build
 * @param pipArgs extra arguments to {@code pip wheel}
 * @param index the hosted index to upload to
 */
record BuildJob(
    Optional<String> recipe,
    BuildSource source,
    TargetEnvironment target,
    String image,
    List<String> systemPackages,
    Map<String, String> env,
    List<String> pipArgs,
    String index) {

  BuildJob {
    systemPackages = List.copyOf(systemPackages);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    pipArgs = List.copyOf(pipArgs);
  }

  /** E.g. {@code pyrnnoise linux/arm64 py3.11}, for console prefixes and messages. */
  String label() {
    return recipe.orElseGet(source::shortName)
        + " "
        + target.containerPlatform()
        + " py"
        + target.pythonVersion();
  }

  /** The lock key: one build of a source for a platform and Python at a time. */
  String lockKey() {
    return source.lockKey() + " " + target.containerPlatform() + " " + target.pythonVersion();
  }
}
