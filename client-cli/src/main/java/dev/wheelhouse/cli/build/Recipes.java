package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.config.BuildRecipeConfig;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns config recipes and command-line sources into build jobs. */
final class Recipes {
  private Recipes() {}

  /** A job for {@code recipe} on {@code target}; command-line options add to the recipe's. */
  static BuildJob job(BuildRecipeConfig recipe, TargetEnvironment target, BuilderOptions options) {
    BuildSource source;
    if (recipe.git().isPresent()) {
      source = new BuildSource.Git(recipe.git().get(), recipe.ref().orElseThrow());
    } else if (recipe.sdist().isPresent()) {
      source = sdist(recipe.sdist().get());
    } else {
      source = new BuildSource.LocalPath(Path.of(recipe.path().orElseThrow()));
    }
    List<String> packages = new ArrayList<>(recipe.systemPackages());
    options.systemPackages.stream().filter(p -> !packages.contains(p)).forEach(packages::add);
    Map<String, String> env = new LinkedHashMap<>(recipe.env());
    env.putAll(options.env);
    List<String> pipArgs = new ArrayList<>(recipe.pipArgs());
    pipArgs.addAll(options.pipArgs);
    return new BuildJob(
        Optional.of(recipe.name()),
        source,
        target,
        options.image(recipe.image(), target),
        packages,
        env,
        pipArgs,
        options.uploadIndex(Optional.empty()));
  }

  /** {@code NAME==VERSION} as an sdist source. */
  static BuildSource.Sdist sdist(String requirement) {
    int equals = requirement.indexOf("==");
    if (equals <= 0 || equals + 2 >= requirement.length()) {
      throw CommandFailure.usage(
          "--sdist wants NAME==VERSION, e.g. soxr==0.5.0; got '" + requirement + "'");
    }
    return new BuildSource.Sdist(
        requirement.substring(0, equals).strip(), requirement.substring(equals + 2).strip());
  }
}
