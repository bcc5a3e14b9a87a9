package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.packaging.tags.Arch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes builder images without a registry: debootstrap a Debian root with Python and a C toolchain
 * from a mirror through the server's apt cache, then import it into podman or docker.
 */
final class BuilderImages {
  static final String REPOSITORY = "localhost/wheelhouse-builder";

  /** Python, its headers and pip, and a C/C++ toolchain: what most native builds need. */
  static final List<String> BASE_PACKAGES =
      List.of(
          "python3",
          "python3-dev",
          "python3-pip",
          "python3-venv",
          "gcc",
          "g++",
          "make",
          "libc6-dev",
          "ca-certificates");

  private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(60);
  private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(20);

  private BuilderImages() {}

  /** The default image for a Python version and architecture: {@code ...:py3.11-arm64}. */
  static String defaultImage(String python, Arch arch) {
    return REPOSITORY + ":py" + python + "-" + archName(arch);
  }

  /** Debian's and the container engines' name for an architecture: amd64, arm64, ... */
  static String archName(Arch arch) {
    String platform = arch.containerPlatform();
    String name = platform.substring("linux/".length());
    int slash = name.indexOf('/');
    if (arch == Arch.ARMV7L) {
      return "armhf";
    }
    if (arch == Arch.I686) {
      return "i386";
    }
    return slash < 0 ? name : name.substring(0, slash);
  }

  /** {@link #BASE_PACKAGES} and then {@code extra}, each once. */
  static List<String> withBuildTools(List<String> extra) {
    List<String> packages = new ArrayList<>(BASE_PACKAGES);
    extra.stream().filter(p -> !packages.contains(p)).forEach(packages::add);
    return List.copyOf(packages);
  }

  /**
   * What was made.
   *
   * @param images the tags given to the image
   * @param python the Python version inside, if it has one
   * @param packages the packages installed beyond the minimal base
   */
  record Made(List<String> images, Optional<String> python, List<String> packages) {}

  /**
   * Debootstraps {@code suite} for {@code arch} from {@code mirror} with {@code packages} into a
   * directory under {@code workRoot}, and imports it into {@code engine} as {@code tag}, else as
   * {@code REPOSITORY:py<python>-<arch>} and {@code REPOSITORY:<suite>-<arch>}.
   */
  static Made make(
      ContainerEngine engine,
      Arch arch,
      String suite,
      URI mirror,
      List<String> packages,
      Optional<String> tag,
      Path workRoot,
      Consumer<String> log)
      throws InterruptedException, IOException {
    Emulation.requireRunnable(arch);
    Files.createDirectories(workRoot);
    Path root = Files.createTempDirectory(workRoot, "rootfs-");
    try {
      List<String> command = new ArrayList<>(List.of("debootstrap", "--arch=" + archName(arch)));
      command.add("--variant=minbase");
      if (!packages.isEmpty()) {
        command.add("--include=" + String.join(",", packages));
      }
      command.addAll(List.of(suite, root.toString(), mirror.toString()));
      log.accept("== " + String.join(" ", command));
      ExternalCommand.Result result =
          ExternalCommand.of(command).run(DEBOOTSTRAP_TIMEOUT, log, () -> {});
      if (!result.succeeded()) {
        throw CommandFailure.failed(
            "debootstrap failed (exit "
                + result.exitCode()
                + "): "
                + ExternalCommand.lastLines(result, 5)
                + debootstrapHint(result));
      }
      trim(root);
      recordAptSource(root, mirror, suite);
      Optional<String> python =
          Files.isSymbolicLink(root.resolve("usr/bin/python3"))
              ? Optional.of(pythonVersion(root))
              : Optional.empty();
      String primary =
          tag.orElseGet(
              () ->
                  REPOSITORY
                      + ":py"
                      + python.orElseThrow(BuilderImages::noPython)
                      + "-"
                      + archName(arch));
      log.accept("== " + engine.program() + " import --arch " + archName(arch) + " " + primary);
      importRoot(engine, root, arch, primary);
      List<String> images = new ArrayList<>(List.of(primary));
      if (tag.isEmpty()) {
        String bySuite = REPOSITORY + ":" + suite + "-" + archName(arch);
        String tagged =
            ExternalCommand.of(engine.program(), "tag", primary, bySuite)
                .captureOrFail(Duration.ofMinutes(1), engine.program() + " tag");
        if (tagged != null) {
          images.add(bySuite);
        }
      }
      return new Made(List.copyOf(images), python, List.copyOf(packages));
    } finally {
      WorkTree.delete(root);
    }
  }

  private static CommandFailure noPython() {
    return CommandFailure.failed("the new root has no /usr/bin/python3 link");
  }

  private static String debootstrapHint(ExternalCommand.Result result) {
    for (String line : result.tail()) {
      if (line.contains("must be root") || line.contains("Permission denied")) {
        return " (debootstrap needs root)";
      }
    }
    return "";
  }

  /** Drops downloaded .debs and apt lists: they are in the server's cache already. */
  private static void trim(Path root) throws IOException {
    for (String directory : List.of("var/cache/apt/archives", "var/lib/apt/lists")) {
      Path dir = root.resolve(directory);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              && !file.getFileName().toString().equals("lock")) {
            Files.delete(file);
          }
        }
      }
    }
  }

  /**
   * Names the server mirror and suite in the image, so that builds point apt at whatever address
   * the server has then (the sources debootstrap wrote name this run's address).
   */
  private static void recordAptSource(Path root, URI mirror, String suite) throws IOException {
    String path = mirror.getPath().replaceAll("/+$", "");
    String name = path.substring(path.lastIndexOf('/') + 1);
    Path file = root.resolve(BuildScript.APT_SOURCE.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, name + " " + suite + "\n", StandardCharsets.UTF_8);
  }

  /** The root's Python {@code major.minor}, from where {@code /usr/bin/python3} points. */
  static String pythonVersion(Path root) throws IOException {
    Path python3 = root.resolve("usr/bin/python3");
    if (!Files.isSymbolicLink(python3)) {
      throw CommandFailure.failed("the new root has no /usr/bin/python3 link");
    }
    String target = Files.readSymbolicLink(python3).getFileName().toString();
    if (!target.matches("python3\\.\\d+")) {
      throw CommandFailure.failed(
          "cannot tell the Python version from /usr/bin/python3 -> " + target);
    }
    return target.substring("python".length());
  }

  private static void importRoot(ContainerEngine engine, Path root, Arch arch, String image)
      throws IOException, InterruptedException {
    ProcessBuilder tar =
        new ProcessBuilder("tar", "--numeric-owner", "-C", root.toString(), "-c", ".")
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    ProcessBuilder importer =
        new ProcessBuilder(
                engine.program(),
                "import",
                "--arch",
                archName(arch),
                "--change",
                "CMD [\"/bin/bash\"]",
                "-",
                image)
            .redirectErrorStream(true);
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(tar, importer));
    Process last = pipeline.get(pipeline.size() - 1);
    String output;
    try (InputStream in = last.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    boolean done = last.waitFor(IMPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    pipeline.forEach(Process::destroy);
    if (!done || last.exitValue() != 0) {
      throw CommandFailure.failed(engine.program() + " import failed: " + output.strip());
    }
  }
}
