package dev.wheelhouse.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Binds {@code builds}: wheel build recipes. */
final class BuildBinder {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?");
  private static final Pattern PYTHON = Pattern.compile("\\d+\\.\\d+");
  // Debian policy for package names; also keeps shell syntax out of the build container's apt-get.
  private static final Pattern DEBIAN_PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private BuildBinder() {}

  static List<BuildRecipeConfig> bind(Node node) {
    List<BuildRecipeConfig> recipes = new ArrayList<>();
    UniqueNames names = new UniqueNames("build name");
    for (Node item : node.items()) {
      Fields build = item.fields();
      Node nameNode = build.get("name");
      Optional<String> name = nameNode.required(matching(NAME, "a recipe name like pyrnnoise"));
      name.ifPresent(n -> names.claim(n, nameNode, item.path()));
      Node gitNode = build.get("git");
      Node refNode = build.get("ref");
      Optional<String> git = gitNode.as(Scalars::nonBlank);
      Optional<String> ref = refNode.as(Scalars::nonBlank);
      Optional<String> sdist = build.get("sdist").as(Scalars::nonBlank);
      Optional<String> path = build.get("path").as(Scalars::nonBlank);
      checkSource(item, gitNode, refNode, List.of(git, sdist, path));
      List<String> platforms =
          listOr(
              build.get("platforms"),
              matching(PLATFORM, "a platform like linux/arm64"),
              BuildRecipeConfig.DEFAULT_PLATFORMS);
      List<String> python =
          listOr(
              build.get("python"),
              matching(PYTHON, "a Python version like 3.12"),
              BuildRecipeConfig.DEFAULT_PYTHON);
      List<String> systemPackages =
          build.get("system-packages").list(matching(DEBIAN_PACKAGE, "a Debian package name"));
      Map<String, String> env = env(build.get("env"));
      Optional<String> image = build.get("image").as(Scalars::nonBlank);
      List<String> pipArgs = build.get("pip-args").list(Function.identity());
      build.rejectUnknown();
      name.ifPresent(
          n ->
              recipes.add(
                  new BuildRecipeConfig(
                      n,
                      git,
                      ref,
                      sdist,
                      path,
                      platforms,
                      python,
                      systemPackages,
                      env,
                      image,
                      pipArgs)));
    }
    return List.copyOf(recipes);
  }

  private static void checkSource(
      Node item, Node gitNode, Node refNode, List<Optional<String>> sources) {
    long given = sources.stream().filter(Optional::isPresent).count();
    if (given == 0) {
      item.error("needs a source: one of git, sdist or path");
    } else if (given > 1) {
      item.error("has more than one source: give only one of git, sdist or path");
    }
    if (gitNode.isPresent() && !refNode.isPresent()) {
      refNode.error("required with git: the commit (best), tag or branch to build");
    }
    if (refNode.isPresent() && !gitNode.isPresent()) {
      refNode.error("only a git source has a ref");
    }
  }

  private static List<String> listOr(
      Node node, Function<String, String> parser, List<String> defaults) {
    if (!node.isPresent()) {
      return defaults;
    }
    if (node.isList() && node.items().isEmpty()) {
      node.error("expected at least one value");
    }
    return node.list(parser);
  }

  private static Map<String, String> env(Node node) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, Node> variable : node.fields().entries().entrySet()) {
      if (!ENV_NAME.matcher(variable.getKey()).matches()) {
        variable.getValue().error("expected an environment variable name");
      }
      // An empty value ("FOO:") is a legitimate empty variable, not an absent one.
      env.put(variable.getKey(), variable.getValue().text().orElse(""));
    }
    return env;
  }

  private static Function<String, String> matching(Pattern pattern, String what) {
    return text -> {
      if (!pattern.matcher(text).matches()) {
        throw new IllegalArgumentException("expected " + what + ", got '" + text + "'");
      }
      return text;
    };
  }
}
