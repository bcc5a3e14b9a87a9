package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.prewarm.MissingBuilds;
import dev.wheelhouse.config.Durations;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by {@code build} and {@code prewarm --build-missing}: engine, images, limits. */
public final class BuilderOptions {
  static final String DEFAULT_INDEX = "local";
  static final String ENGINE_ENV = "WHEELHOUSE_BUILD_ENGINE";

  @Option(
      names = "--engine",
      paramLabel = "podman|docker",
      description =
          "Container engine for builds (default: $"
              + BuilderOptions.ENGINE_ENV
              + ", else podman if it works, else docker).")
  String engine;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description =
          "Build image; {python} and {arch} are replaced (default: "
              + BuilderImages.REPOSITORY
              + ":py{python}-{arch}, as made by wheelhouse builder-image).")
  String image;

  @Option(
      names = "--upload-index",
      paramLabel = "NAME",
      description = "Hosted index the built wheels go to (default: " + DEFAULT_INDEX + ").")
  String uploadIndex;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60m",
      description = "Stop a build that runs longer (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--system-package",
      paramLabel = "PKG",
      description = "Debian package to install in the build container first (repeatable).")
  List<String> systemPackages = new ArrayList<>();

  @Option(
      names = "--build-env",
      paramLabel = "NAME=VALUE",
      description = "Environment variable for the build (repeatable).")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(
      names = "--pip-arg",
      paramLabel = "ARG",
      description =
          "Extra argument to pip wheel (repeatable), e.g. --pip-arg=--no-build-isolation.")
  List<String> pipArgs = new ArrayList<>();

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where build work, logs and locks live (default: ~/.cache/wheelhouse/builds).")
  Path workDirectory;

  /** The builder prewarm hands its missing wheels to. */
  public MissingBuilds missingBuilds(Invocation invocation, URI server, Optional<String> token) {
    return new SdistBuilds(this, invocation, server, token);
  }

  Duration timeout() {
    try {
      return Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage("--timeout: " + e.getMessage());
    }
  }

  String uploadIndex(Optional<String> fromRecipe) {
    return Optional.ofNullable(uploadIndex).or(() -> fromRecipe).orElse(DEFAULT_INDEX);
  }

  /** The image for a target: --image, the recipe's, or the builder-image default. */
  String image(Optional<String> fromRecipe, TargetEnvironment target) {
    String template =
        Optional.ofNullable(image)
            .or(() -> fromRecipe)
            .orElse(BuilderImages.REPOSITORY + ":py{python}-{arch}");
    return template
        .replace("{python}", target.pythonVersion())
        .replace("{arch}", BuilderImages.archName(target.arch()));
  }

  Path workDirectory(Map<String, String> env) {
    if (workDirectory != null) {
      return workDirectory.toAbsolutePath();
    }
    String cache = env.get("XDG_CACHE_HOME");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
    return base.resolve("wheelhouse").resolve("builds");
  }

  WheelBuilder builder(
      Invocation invocation, URI server, Optional<String> token, PrintStream console)
      throws InterruptedException {
    Duration limit = timeout();
    ContainerEngine detected =
        ContainerEngine.detect(Optional.ofNullable(engine), invocation.env());
    return new WheelBuilder(
        detected,
        server,
        token,
        workDirectory(invocation.env()),
        limit,
        Clock.systemUTC(),
        console);
  }

  /** A job built from these options alone (no recipe). */
  BuildJob job(Optional<String> recipe, BuildSource source, TargetEnvironment target) {
    return new BuildJob(
        recipe,
        source,
        target,
        image(Optional.empty(), target),
        systemPackages,
        env,
        pipArgs,
        uploadIndex(Optional.empty()));
  }
}
