package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.VersionProvider;
import dev.wheelhouse.cli.upload.HostedUpload;
import dev.wheelhouse.packaging.ProjectName;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs builds: checks the source out, runs {@code pip wheel} in a container for the target platform
 * with the server as its package index, checks the wheel, and uploads it with its provenance and
 * log. One build per (source, platform, Python) at a time.
 */
final class WheelBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LOG_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ContainerEngine engine;
  private final URI server;
  private final Optional<String> token;
  private final Path workRoot;
  private final Duration timeout;
  private final Clock clock;
  private final PrintStream console;
  private final SourcePreparer sources;
  private final BuildLocks locks;

  /**
   * @param workRoot where work directories, logs and locks live
   * @param console where build output streams, line by line, prefixed with the build's label
   */
  WheelBuilder(
      ContainerEngine engine,
      URI server,
      Optional<String> token,
      Path workRoot,
      Duration timeout,
      Clock clock,
      PrintStream console) {
    this.engine = engine;
    this.server = server;
    this.token = token;
    this.workRoot = workRoot;
    this.timeout = timeout;
    this.clock = clock;
    this.console = console;
    this.sources = new SourcePreparer(server);
    this.locks = new BuildLocks(workRoot.resolve("locks"));
  }

  /** Builds and uploads; a failed build is an outcome, not an exception. */
  BuildOutcome build(BuildJob job) throws InterruptedException {
    String prefix = "[" + job.label() + "] ";
    Path logs = workRoot.resolve("logs");
    Path logFile =
        logs.resolve(fileSafe(job.label()) + "-" + LOG_STAMP.format(clock.instant()) + ".log");
    Instant started = clock.instant();
    try {
      Files.createDirectories(logs);
      try (BuildLocks.Held lock =
              locks.acquire(
                  job.lockKey(), key -> console.println(prefix + "waiting for another build"));
          BufferedWriter logWriter = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
        Consumer<String> log =
            line -> {
              try {
                logWriter.write(line);
                logWriter.write('\n');
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              console.println(prefix + line);
            };
        started = clock.instant();
        return buildLocked(job, log, logWriter, logFile, started);
      }
    } catch (CommandFailure e) {
      return failed(job, Optional.empty(), started, e.getMessage(), logFile);
    } catch (IOException | UncheckedIOException e) {
      return failed(job, Optional.empty(), started, "build failed: " + e.getMessage(), logFile);
    }
  }

  private BuildOutcome buildLocked(
      BuildJob job, Consumer<String> log, BufferedWriter logWriter, Path logFile, Instant started)
      throws InterruptedException, IOException {
    Emulation.requireRunnable(job.target().arch());
    String imageId =
        engine
            .imageId(job.image())
            .orElseThrow(
                () ->
                    CommandFailure.failed(
                        "image "
                            + job.image()
                            + " not found by "
                            + engine.program()
                            + "; make one with: wheelhouse builder-image --arch "
                            + BuilderImages.archName(job.target().arch())
                            + " (or pass --image)"));
    Files.createDirectories(workRoot);
    Path work = Files.createTempDirectory(workRoot, "build-");
    try {
      PreparedSource source = sources.prepare(job.source(), work, log);
      Path out = Files.createDirectories(work.resolve("out"));
      String container = "wheelhouse-build-" + UUID.randomUUID().toString().substring(0, 12);
      ContainerRun run =
          new ContainerRun(
              container,
              job.target().containerPlatform(),
              job.image(),
              List.of(
                  new ContainerRun.Mount(source.hostDirectory(), BuildScript.SOURCE, true),
                  new ContainerRun.Mount(out, BuildScript.OUTPUT, false)),
              environment(job, source),
              BuildScript.command(job.pipArgs()));
      log.accept(
          "== "
              + engine.version()
              + " run --name "
              + container
              + " --platform "
              + run.platform()
              + " "
              + run.image());
      Instant containerStart = clock.instant();
      ExternalCommand.Result result =
          ExternalCommand.of(engine.runCommand(run))
              .run(timeout, log, () -> engine.kill(container));
      Duration duration = Duration.between(containerStart, clock.instant());
      if (result.timedOut()) {
        // The killed client may have left the container created, or stopped but not removed.
        engine.remove(container);
        return failed(
            job,
            source.commit(),
            started,
            "timed out after " + human(timeout) + tail(result),
            logFile);
      }
      if (result.exitCode() == BuildScript.WRONG_PYTHON) {
        return failed(
            job,
            source.commit(),
            started,
            "image "
                + job.image()
                + " has another Python than "
                + job.target().pythonVersion()
                + "; pass --image, or make one with wheelhouse builder-image",
            logFile);
      }
      if (!result.succeeded()) {
        return failed(
            job,
            source.commit(),
            started,
            "build failed (exit " + result.exitCode() + ") after " + human(duration) + tail(result),
            logFile);
      }
      List<Path> wheels = wheelsIn(out);
      if (wheels.size() != 1) {
        return failed(
            job,
            source.commit(),
            started,
            "expected one wheel from pip wheel --no-deps, got " + wheels.size(),
            logFile);
      }
      Path wheel = wheels.get(0);
      WheelCheck.Report check = WheelCheck.check(wheel, job.target(), expectedProject(job));
      log.accept(
          "== checked "
              + wheel.getFileName()
              + ": "
              + check.nativeFiles()
              + " native file(s) "
              + check.elfMachines());
      if (!check.fits()) {
        return failed(job, source.commit(), started, String.join("; ", check.problems()), logFile);
      }
      logWriter.flush();
      String provenance = provenance(job, source, imageId, duration);
      HostedUpload.Outcome upload =
          HostedUpload.send(server, job.index(), token, wheel, provenance, Optional.of(logFile));
      String filename = String.valueOf(wheel.getFileName());
      if (!upload.stored()) {
        return failed(
            job,
            source.commit(),
            started,
            "upload of "
                + filename
                + " to "
                + job.index()
                + " refused ("
                + upload.status()
                + "): "
                + upload.reason(),
            logFile);
      }
      String detail = filename + " built in " + human(duration) + ", uploaded to " + job.index();
      log.accept("== " + detail);
      return new BuildOutcome(
          job,
          true,
          Optional.of(filename),
          Optional.of(upload.sha256()),
          source.commit(),
          duration,
          detail,
          logFile);
    } finally {
      WorkTree.delete(work);
    }
  }

  private Map<String, String> environment(BuildJob job, PreparedSource source) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PIP_INDEX_URL", server + "/simple/");
    if ("http".equals(server.getScheme()) && !isLoopback(server.getHost())) {
      // pip ignores a plain-http index unless its host is trusted.
      env.put("PIP_TRUSTED_HOST", server.getHost());
    }
    env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    env.put("PIP_ROOT_USER_ACTION", "ignore");
    env.put("PIP_PROGRESS_BAR", "off");
    env.put("WHEELHOUSE_SERVER", server.toString());
    env.put("WHEELHOUSE_PYTHON", job.target().pythonVersion());
    env.put("WHEELHOUSE_IMAGE", job.image());
    env.put("WHEELHOUSE_TARGET", source.target());
    env.put("WHEELHOUSE_SYSTEM_PACKAGES", String.join(" ", job.systemPackages()));
    env.putAll(job.env());
    return env;
  }

  private static boolean isLoopback(String host) {
    return host == null
        || host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  private String provenance(
      BuildJob job, PreparedSource source, String imageId, Duration duration) {
    ObjectNode node = JSON.createObjectNode();
    job.recipe().ifPresent(r -> node.put("recipe", r));
    String described =
        job.source() instanceof BuildSource.Git git && source.commit().isPresent()
            ? "git+" + git.url() + "@" + source.commit().get()
            : job.source().describe();
    node.put("source", described);
    source.commit().ifPresent(c -> node.put("commit", c));
    node.put("image", job.image());
    node.put("image-id", imageId);
    node.put("platform", job.target().containerPlatform());
    node.put("python", job.target().pythonVersion());
    node.put("duration-seconds", Math.round(duration.toMillis() / 100.0) / 10.0);
    node.put("built-at", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    node.put("builder", "wheelhouse " + version());
    node.put("engine", engine.version());
    node.put("emulated", Emulation.isForeign(job.target().arch()));
    return node.toString();
  }

  private static String version() {
    try {
      return VersionProvider.projectVersion();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Optional<ProjectName> expectedProject(BuildJob job) {
    if (job.source() instanceof BuildSource.Sdist sdist) {
      return Optional.of(ProjectName.of(sdist.project()));
    }
    return Optional.empty();
  }

  private BuildOutcome failed(
      BuildJob job, Optional<String> commit, Instant started, String detail, Path logFile) {
    return new BuildOutcome(
        job,
        false,
        Optional.empty(),
        Optional.empty(),
        commit,
        Duration.between(started, clock.instant()),
        detail,
        logFile);
  }

  private static String tail(ExternalCommand.Result result) {
    List<String> lines = result.tail();
    List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
    return last.isEmpty() ? "" : "; last lines of the log:\n    " + String.join("\n    ", last);
  }

  private static List<Path> wheelsIn(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".whl")).sorted().toList();
    }
  }

  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
  }

  private static String fileSafe(String label) {
    return label.replaceAll("[^A-Za-z0-9._-]+", "_");
  }
}
