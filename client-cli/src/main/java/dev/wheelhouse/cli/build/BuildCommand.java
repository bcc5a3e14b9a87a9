package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import dev.wheelhouse.cli.admin.Table;
import dev.wheelhouse.config.BuildRecipeConfig;
import dev.wheelhouse.config.ConfigException;
import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.ConfigOverrides;
import dev.wheelhouse.config.WheelhouseConfig;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse build}: builds wheels in containers for target platforms (emulated with QEMU
 * when foreign) and uploads them with their provenance.
 */
@Command(
    name = "build",
    description = {
      "Build wheels in a container per target platform and Python, and upload them to a hosted"
          + " index with their provenance.",
      "The server is the container's package index, so build dependencies come from its cache.",
      "",
      "Examples:",
      "  wheelhouse build --git https://host/repo --ref COMMIT --platform linux/arm64 --python 3.11",
      "  wheelhouse build --sdist soxr==0.5.0 --platform linux/arm64",
      "  wheelhouse build --recipe pyrnnoise --config wheelhouse.yaml",
      "  wheelhouse build --missing   (what pip clients asked for and found no wheel)"
    })
public final class BuildCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Invocation invocation;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  /** Exactly one of these says what to build. */
  static final class Source {
    @ArgGroup(exclusive = false)
    GitOptions git;

    @Option(
        names = "--sdist",
        paramLabel = "NAME==VERSION",
        description = "Build this sdist from the server's index.")
    String sdist;

    @Option(
        names = "--path",
        paramLabel = "DIR",
        description = "Build the project in this directory.")
    Path path;

    @Option(
        names = "--recipe",
        paramLabel = "NAME",
        description = "Build a recipe from the config's builds (repeatable).")
    List<String> recipes;

    @Option(names = "--all-recipes", description = "Build every recipe in the config.")
    boolean allRecipes;

    @Option(
        names = "--missing",
        description =
            "Build what pip clients asked the server for without finding a wheel for their platform"
                + " (needs an admin token).")
    boolean missing;
  }

  /** A git source. */
  static final class GitOptions {
    @Option(
        names = "--git",
        required = true,
        paramLabel = "URL",
        description = "Git repository to build.")
    String url;

    @Option(
        names = "--ref",
        required = true,
        paramLabel = "COMMIT",
        description = "Commit (best), tag or branch of --git.")
    String ref;
  }

  @Option(
      names = "--platform",
      paramLabel = "PLATFORM",
      description = "Target platform, repeatable (default: the recipe's, else this host's).")
  private List<String> platforms = new ArrayList<>();

  @Option(
      names = "--python",
      paramLabel = "X.Y",
      description = "Target Python, repeatable (default: the recipe's, else " + "3.12" + ").")
  private List<String> pythons = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Server config with the build recipes (default: $WHEELHOUSE_CONFIG).")
  private Path config;

  @Mixin private BuilderOptions builder;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public BuildCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    URI base = server.baseUrl(invocation.env());
    Optional<String> token = server.token(invocation.env());
    List<BuildJob> jobs;
    FieldMisses misses = null;
    if (source.missing) {
      misses = new FieldMisses(base, token);
      jobs = misses.jobs(builder, invocation.err());
      if (jobs.isEmpty()) {
        invocation.err().println("no misses recorded: every platform found a wheel");
        printResults(List.of());
        return ExitCode.OK;
      }
    } else {
      jobs = plan();
    }
    PrintStream console = invocation.err();
    WheelBuilder wheels = builder.builder(invocation, base, token, console);
    List<BuildOutcome> outcomes = new ArrayList<>();
    for (BuildJob job : jobs) {
      BuildOutcome outcome = wheels.build(job);
      outcomes.add(outcome);
      if (!outcome.succeeded()) {
        console.println("[" + job.label() + "] FAILED: " + outcome.detail());
        console.println("[" + job.label() + "] full log: " + outcome.log());
      }
    }
    if (misses != null) {
      misses.clearBuilt(outcomes);
    }
    printResults(outcomes);
    long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
    if (failed > 0) {
      throw CommandFailure.failed(
          "wheelhouse build: " + failed + " of " + outcomes.size() + " builds failed");
    }
    return ExitCode.OK;
  }

  private List<BuildJob> plan() {
    List<BuildJob> jobs = new ArrayList<>();
    if (source.recipes != null || source.allRecipes) {
      List<BuildRecipeConfig> recipes = recipes();
      for (BuildRecipeConfig recipe : recipes) {
        for (TargetEnvironment target :
            targets(
                platforms.isEmpty() ? recipe.platforms() : platforms,
                pythons.isEmpty() ? recipe.python() : pythons)) {
          jobs.add(Recipes.job(recipe, target, builder));
        }
      }
      return jobs;
    }
    BuildSource what;
    if (source.git != null) {
      what = new BuildSource.Git(source.git.url, source.git.ref);
    } else if (source.sdist != null) {
      what = Recipes.sdist(source.sdist);
    } else {
      what = new BuildSource.LocalPath(source.path);
    }
    List<String> hostPlatform =
        Emulation.host().map(a -> List.of(a.containerPlatform())).orElse(List.of("linux/amd64"));
    for (TargetEnvironment target :
        targets(
            platforms.isEmpty() ? hostPlatform : platforms,
            pythons.isEmpty() ? BuildRecipeConfig.DEFAULT_PYTHON : pythons)) {
      jobs.add(builder.job(Optional.empty(), what, target));
    }
    return jobs;
  }

  private List<BuildRecipeConfig> recipes() {
    WheelhouseConfig loaded;
    try {
      loaded =
          ConfigLoader.load(Optional.ofNullable(config), invocation.env(), ConfigOverrides.none());
    } catch (ConfigException e) {
      throw CommandFailure.usage("invalid configuration: " + String.join("; ", e.errors()));
    }
    if (source.allRecipes) {
      if (loaded.builds().isEmpty()) {
        throw CommandFailure.usage("no build recipes in the config (builds: is empty)");
      }
      return loaded.builds();
    }
    List<BuildRecipeConfig> chosen = new ArrayList<>();
    for (String name : source.recipes) {
      chosen.add(
          loaded.builds().stream()
              .filter(r -> r.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      CommandFailure.usage(
                          "no recipe '"
                              + name
                              + "' in the config; recipes: "
                              + (loaded.builds().isEmpty()
                                  ? "none (pass --config FILE or set WHEELHOUSE_CONFIG)"
                                  : String.join(
                                      ", ",
                                      loaded.builds().stream()
                                          .map(BuildRecipeConfig::name)
                                          .toList())))));
    }
    return chosen;
  }

  private static List<TargetEnvironment> targets(List<String> platforms, List<String> pythons) {
    List<TargetEnvironment> targets = new ArrayList<>();
    for (String platform : platforms) {
      for (String python : pythons) {
        try {
          targets.add(TargetEnvironment.of(platform, python, Libc.defaultGlibc()));
        } catch (IllegalArgumentException e) {
          throw CommandFailure.usage(e.getMessage());
        }
      }
    }
    return targets;
  }

  private void printResults(List<BuildOutcome> outcomes) {
    if (json.enabled()) {
      ArrayNode builds = JSON.createArrayNode();
      for (BuildOutcome outcome : outcomes) {
        ObjectNode node = builds.addObject();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("build", outcome.job().label());
        fields.put("source", outcome.job().source().describe());
        fields.put("platform", outcome.job().target().containerPlatform());
        fields.put("python", outcome.job().target().pythonVersion());
        fields.put("image", outcome.job().image());
        fields.put("index", outcome.job().index());
        fields.put("succeeded", outcome.succeeded());
        fields.put("wheel", outcome.wheel().orElse(null));
        fields.put("sha256", outcome.sha256().orElse(null));
        fields.put("commit", outcome.commit().orElse(null));
        fields.put("seconds", outcome.duration().toMillis() / 1000.0);
        fields.put("detail", outcome.detail());
        fields.put("log", outcome.log().toString());
        fields.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
      }
      ObjectNode document = JSON.createObjectNode();
      document.set("builds", builds);
      JsonOption.print(invocation.out(), document);
      return;
    }
    if (outcomes.isEmpty()) {
      return;
    }
    Table table = new Table("BUILD", "PLATFORM", "PYTHON", "RESULT", ">TIME", "WHEEL");
    for (BuildOutcome outcome : outcomes) {
      table.row(
          outcome.job().recipe().orElse(outcome.job().source().shortName()),
          outcome.job().target().containerPlatform(),
          outcome.job().target().pythonVersion(),
          outcome.succeeded() ? "built" : "FAILED",
          WheelBuilder.human(outcome.duration()),
          outcome.wheel().orElse("-"));
    }
    table.print(invocation.out());
  }
}
