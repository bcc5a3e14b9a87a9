package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The program that runs build containers: podman or docker, which take the same arguments for
 * everything used here ({@code run --platform}, {@code image inspect}, {@code import}, {@code
 * kill}).
 */
final class ContainerEngine {
  static final List<String> KNOWN = List.of("podman", "docker");
  private static final Duration QUICK = Duration.ofSeconds(60);

  private final String program;
  private final String version;

  private ContainerEngine(String program, String version) {
    this.program = program;
    this.version = version;
  }

  /** The engine named by the flag, else by {@code $WHEELHOUSE_BUILD_ENGINE}, else detected. */
  static ContainerEngine detect(Optional<String> flag, Map<String, String> env)
      throws InterruptedException {
    return detect(
        flag.or(() -> Optional.ofNullable(env.get(BuilderOptions.ENGINE_ENV)))
            .filter(e -> !e.isBlank()));
  }

  /**
   * The engine named by {@code requested}, or the first of podman and docker that answers {@code
   * version} (a docker client without a reachable engine does not).
   */
  static ContainerEngine detect(Optional<String> requested) throws InterruptedException {
    if (requested.isPresent()) {
      String program = requested.get();
      if (!KNOWN.contains(program)) {
        throw CommandFailure.usage(
            "unknown container engine '" + program + "': use podman or docker");
      }
      Optional<ContainerEngine> engine = probe(program);
      if (engine.isEmpty()) {
        throw CommandFailure.failed(
            program
                + " does not work here: '"
                + program
                + " version' failed; is it installed and"
                + " its engine running?");
      }
      return engine.get();
    }
    for (String program : KNOWN) {
      Optional<ContainerEngine> engine = probe(program);
      if (engine.isPresent()) {
        return engine.get();
      }
    }
    throw CommandFailure.failed(
        "no container engine: neither podman nor docker works here (install podman, or start"
            + " docker's engine; choose one with --engine)");
  }

  private static Optional<ContainerEngine> probe(String program) throws InterruptedException {
    ExternalCommand.Result result;
    try {
      result = ExternalCommand.of(program, "version").capture(QUICK);
    } catch (CommandFailure notInstalled) {
      return Optional.empty();
    }
    if (!result.succeeded()) {
      return Optional.empty();
    }
    String version = program;
    for (String line : result.output().split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("Version:")) {
        version = program + " " + trimmed.substring("Version:".length()).strip();
        break;
      }
    }
    return Optional.of(new ContainerEngine(program, version));
  }

  /** {@code podman} or {@code docker}. */
  String program() {
    return program;
  }

  /** E.g. {@code podman 4.3.1}, for provenance. */
  String version() {
    return version;
  }

  /** The image's ID if the engine has it locally. */
  Optional<String> imageId(String image) throws InterruptedException {
    ExternalCommand.Result result =
        ExternalCommand.of(program, "image", "inspect", "--format", "{{.Id}}", image)
            .capture(QUICK);
    return result.succeeded() ? Optional.of(result.output().strip()) : Optional.empty();
  }

  /** The architecture an image was made for ({@code arm64}, {@code amd64}). */
  Optional<String> imageArchitecture(String image) throws InterruptedException {
    ExternalCommand.Result result =
        ExternalCommand.of(program, "image", "inspect", "--format", "{{.Architecture}}", image)
            .capture(QUICK);
    return result.succeeded() ? Optional.of(result.output().strip()) : Optional.empty();
  }

  /** The arguments of {@code run} for one build container; {@code command} follows the image. */
  List<String> runCommand(ContainerRun run) {
    List<String> args = new ArrayList<>();
    args.add(program);
    args.add("run");
    args.add("--rm");
    args.add("--name");
    args.add(run.name());
    args.add("--platform");
    args.add(run.platform());
    // The server is usually on this host's loopback; the container shares the host's network.
    args.add("--network");
    args.add("host");
    for (ContainerRun.Mount mount : run.mounts()) {
      args.add("--volume");
      args.add(mount.host() + ":" + mount.container() + (mount.readOnly() ? ":ro" : ""));
    }
    run.env()
        .forEach(
            (name, value) -> {
              args.add("--env");
              args.add(name + "=" + value);
            });
    args.add(run.image());
    args.addAll(run.command());
    return args;
  }

  /** Removes a container by name, running or not; one that does not exist is fine. */
  void remove(String containerName) {
    try {
      var unused = ExternalCommand.of(program, "rm", "--force", containerName).capture(QUICK);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CommandFailure e) {
      // Already gone, or the engine cannot say: the caller reports the timeout either way.
    }
  }

  /** Stops a container by name; a container already gone is fine. */
  void kill(String containerName) {
    try {
      var unused = ExternalCommand.of(program, "kill", containerName).capture(QUICK);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CommandFailure e) {
      // Nothing more can be done; the caller reports the timeout.
    }
  }
}
