package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import dev.wheelhouse.cli.build.BuilderOptions;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse prewarm}: makes the server hold, for every requirement and target platform, the
 * wheel pip would install, so that later installs need neither upstream nor a compiler.
 */
@Command(
    name = "prewarm",
    description =
        "Fill the server's cache with the wheels requirements need on each target platform, and"
            + " report which requirements have no wheel there.",
    footer = {
      "",
      "Exit codes: 0 every file is there (or --allow-missing), 1 files missing or sdist-only, 2"
          + " usage error."
    })
public final class PrewarmCommand implements Callable<Integer> {
  private static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final int MAX_JOBS = 64;
  private static final int DEFAULT_WIDTH = 80;

  private final Invocation invocation;

  @Option(
      names = {"-r", "--requirement"},
      paramLabel = "FILE",
      description =
          "requirements.txt (pip format) or pylock.toml (PEP 751), by the name's ending"
              + " (repeatable).")
  private List<Path> files = new ArrayList<>();

  @Option(
      names = "--platform",
      paramLabel = "PLATFORM",
      description = "Target platform, e.g. linux/amd64 or linux/arm64 (repeatable).")
  private List<String> platforms = new ArrayList<>();

  @Option(
      names = "--python",
      paramLabel = "X.Y",
      description = "Target Python version, e.g. 3.12 (repeatable).")
  private List<String> pythons = new ArrayList<>();

  @Option(
      names = "--manylinux",
      paramLabel = "X_Y",
      description = "The targets' glibc version, e.g. 2_28 (default: 2_36, Debian bookworm).")
  private String manylinux;

  @Option(
      names = "--musllinux",
      paramLabel = "X_Y",
      description = "The targets use musl of this version, e.g. 1_2 (Alpine), not glibc.")
  private String musllinux;

  @Option(
      names = "--index",
      paramLabel = "NAME",
      description = "Index to read and fill (default: the server's default index).")
  private String index;

  @Option(names = "--pre", description = "Consider pre-release versions, as pip --pre.")
  private boolean allowPreReleases;

  @Option(
      names = "--allow-missing",
      description = "Exit 0 even when files are missing or only sdists fit.")
  private boolean allowMissing;

  @Option(
      names = "--build-missing",
      description = "Build wheels from sdists where only an sdist fits, and upload them.")
  private boolean buildMissing;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "4",
      description = "Pages and downloads at a time (default: ${DEFAULT-VALUE}).")
  private int jobs;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  @Mixin private BuilderOptions builder;

  public PrewarmCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (files.isEmpty()) {
      throw usage("no requirements: give -r requirements.txt or -r pylock.toml");
    }
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw usage("--jobs must be between 1 and " + MAX_JOBS + ", not " + jobs);
    }
    if (index != null && !INDEX_NAME.matcher(index).matches()) {
      throw usage("invalid index name '" + index + "'");
    }
    List<TargetEnvironment> targets = targets();
    URI base = server.baseUrl(invocation.env());
    Optional<String> token = server.token(invocation.env());
    PrewarmPlan plan = PrewarmPlan.read(files, invocation.env());
    for (String note : plan.notes()) {
      invocation.err().println("wheelhouse prewarm: note: " + note);
    }

    Optional<MissingBuilds> builds =
        buildMissing
            ? Optional.of(builder.missingBuilds(invocation, base, token))
            : Optional.empty();
    PrewarmProgress progress =
        invocation.interactive() && !json.enabled()
            ? PrewarmProgress.bar(invocation.err(), width())
            : PrewarmProgress.off();
    Coverage coverage;
    try (progress) {
      coverage =
          new Prewarm(
                  new IndexServer(base, Optional.ofNullable(index), token),
                  jobs,
                  allowPreReleases,
                  builds,
                  progress)
              .run(plan.items(), targets);
    }

    if (json.enabled()) {
      JsonOption.print(invocation.out(), CoverageJson.document(coverage));
    } else {
      CoverageTable.print(invocation.out(), coverage);
    }
    Optional<String> failure = failureLine(coverage, allowMissing, buildMissing);
    if (failure.isPresent()) {
      throw CommandFailure.failed(failure.get());
    }
    return ExitCode.OK;
  }

  /**
   * The last stderr line of a run that leaves files missing or sdist-only (exit 1), or empty when
   * there are none or {@code allowMissing} accepts them.
   */
  static Optional<String> failureLine(
      Coverage coverage, boolean allowMissing, boolean buildMissing) {
    int gaps = coverage.gaps();
    if (gaps == 0 || allowMissing) {
      return Optional.empty();
    }
    boolean sdistOnly = coverage.totals().get(CellStatus.SDIST_ONLY) > 0;
    return Optional.of(
        "wheelhouse prewarm: "
            + gaps
            + " of "
            + coverage.files()
            + (coverage.files() == 1 ? " file" : " files")
            + " missing (use --allow-missing to accept"
            + (sdistOnly && !buildMissing ? ", --build-missing to build sdist-only ones" : "")
            + ")");
  }

  /** Every platform with every Python, in the order given; the same target once. */
  private List<TargetEnvironment> targets() {
    if (platforms.isEmpty()) {
      throw usage("no target platform: give --platform, e.g. --platform linux/amd64");
    }
    if (pythons.isEmpty()) {
      throw usage("no target Python: give --python, e.g. --python 3.12");
    }
    Libc libc = libc();
    Map<String, TargetEnvironment> targets = new LinkedHashMap<>();
    for (String platform : platforms) {
      for (String python : pythons) {
        TargetEnvironment target;
        try {
          target = TargetEnvironment.of(platform.strip(), python.strip(), libc);
        } catch (IllegalArgumentException e) {
          throw usage("--platform " + platform + " --python " + python + ": " + e.getMessage());
        }
        targets.putIfAbsent(target.label(), target);
      }
    }
    return List.copyOf(targets.values());
  }

  private Libc libc() {
    if (manylinux != null && musllinux != null) {
      throw usage("--manylinux and --musllinux exclude each other");
    }
    try {
      if (musllinux != null) {
        return Libc.parse(Libc.Kind.MUSL, musllinux.strip());
      }
      if (manylinux != null) {
        return Libc.parse(Libc.Kind.GLIBC, manylinux.strip());
      }
    } catch (IllegalArgumentException e) {
      String option = musllinux != null ? "--musllinux" : "--manylinux";
      throw usage(option + ": " + e.getMessage());
    }
    return Libc.defaultGlibc();
  }

  /** The terminal's width as the shell exports it in COLUMNS, else 80. */
  private int width() {
    String columns = invocation.env().get("COLUMNS");
    if (columns != null) {
      try {
        int width = Integer.parseInt(columns.strip());
        if (width >= 20 && width <= 1000) {
          return width - 1;
        }
      } catch (NumberFormatException e) {
        // Not a number: the default will do.
      }
    }
    return DEFAULT_WIDTH - 1;
  }

  private static CommandFailure usage(String message) {
    return CommandFailure.usage("wheelhouse prewarm: " + message);
  }
}
