package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import dev.wheelhouse.packaging.tags.Arch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse builder-image}: a build image made from a Debian mirror through the server's
 * apt cache, for sites that cannot reach a container registry.
 */
@Command(
    name = "builder-image",
    description = {
      "Make a build image (Debian with Python, pip and a C toolchain) without a registry:"
          + " debootstrap through the server's apt cache, then import into podman or docker.",
      "Needs root and debootstrap; a foreign --arch needs QEMU user emulation (qemu-user-static).",
      "",
      "Example: wheelhouse builder-image --arch arm64 --suite bookworm --mirror debian",
      "With --minimal it makes other base images the same way, e.g. for the server's own image:",
      "  wheelhouse builder-image --minimal --arch amd64 --package openjdk-17-jdk-headless"
          + " --package binutils --tag localhost/wheelhouse-base:jdk17"
    })
public final class BuilderImageCommand implements Callable<Integer> {
  private static final Pattern SUITE = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern MIRROR = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  private final Invocation invocation;

  @Option(
      names = "--arch",
      required = true,
      paramLabel = "ARCH",
      description = "amd64, arm64, ... (or a platform like linux/arm64).")
  private String arch;

  @Option(
      names = "--suite",
      defaultValue = "bookworm",
      paramLabel = "SUITE",
      description = "Debian suite (default: ${DEFAULT-VALUE}; its Python is the image's).")
  private String suite;

  @Option(
      names = "--mirror",
      defaultValue = "debian",
      paramLabel = "NAME",
      description = "The server's apt mirror to install from (default: ${DEFAULT-VALUE}).")
  private String mirror;

  @Option(
      names = "--package",
      paramLabel = "PKG",
      description = "Another Debian package to put in the image (repeatable), e.g. cmake.")
  private List<String> packages = new ArrayList<>();

  @Option(
      names = "--minimal",
      description =
          "Only Debian's minimal base and the --package list, without Python and the build"
              + " tools: a base image for other builds (needs --tag).")
  private boolean minimal;

  @Option(
      names = "--tag",
      paramLabel = "IMAGE",
      description =
          "Image name (default: "
              + BuilderImages.REPOSITORY
              + ":py<python>-<arch>, also tagged :<suite>-<arch>).")
  private String tag;

  @Option(
      names = "--engine",
      paramLabel = "podman|docker",
      description = "Container engine to import into (default: podman if it works, else docker).")
  private String engine;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where the root is assembled (default: ~/.cache/wheelhouse/builds).")
  private Path workDirectory;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public BuilderImageCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    Arch target =
        Arch.fromName(arch)
            .orElseThrow(
                () -> CommandFailure.usage("unknown --arch '" + arch + "': use amd64, arm64, ..."));
    if (!SUITE.matcher(suite).matches()) {
      throw CommandFailure.usage("invalid --suite '" + suite + "'");
    }
    if (!MIRROR.matcher(mirror).matches()) {
      throw CommandFailure.usage("invalid --mirror '" + mirror + "'");
    }
    for (String name : packages) {
      if (!PACKAGE.matcher(name).matches()) {
        throw CommandFailure.usage("invalid Debian package name '" + name + "'");
      }
    }
    if (minimal && tag == null) {
      throw CommandFailure.usage("--minimal needs --tag: the image is not a builder image");
    }
    URI base = server.baseUrl(invocation.env());
    URI mirrorUrl = URI.create(base + "/apt/" + mirror + "/");
    ContainerEngine containers =
        ContainerEngine.detect(Optional.ofNullable(engine), invocation.env());
    BuilderOptions defaults = new BuilderOptions();
    defaults.workDirectory = workDirectory;
    Path work = defaults.workDirectory(invocation.env());
    Instant start = Instant.now();
    BuilderImages.Made made;
    try {
      made =
          BuilderImages.make(
              containers,
              target,
              suite,
              mirrorUrl,
              minimal ? packages : BuilderImages.withBuildTools(packages),
              Optional.ofNullable(tag),
              work,
              line ->
                  invocation
                      .err()
                      .println("[builder-image " + BuilderImages.archName(target) + "] " + line));
    } catch (IOException e) {
      throw CommandFailure.failed("builder-image failed: " + e.getMessage(), e);
    }
    Duration took = Duration.between(start, Instant.now());
    if (json.enabled()) {
      ObjectNode node = new ObjectMapper().createObjectNode();
      node.putPOJO("images", made.images());
      node.put("python", made.python().orElse(null));
      node.put("arch", BuilderImages.archName(target));
      node.put("suite", suite);
      node.put("mirror", mirrorUrl.toString());
      node.put("seconds", took.toMillis() / 1000.0);
      JsonOption.print(invocation.out(), node);
    } else {
      invocation
          .out()
          .println(
              String.join(", ", made.images())
                  + ": Debian "
                  + suite
                  + " "
                  + BuilderImages.archName(target)
                  + made.python().map(python -> " with Python " + python).orElse("")
                  + ", made in "
                  + WheelBuilder.human(took)
                  + " from "
                  + mirrorUrl);
    }
    return ExitCode.OK;
  }
}
