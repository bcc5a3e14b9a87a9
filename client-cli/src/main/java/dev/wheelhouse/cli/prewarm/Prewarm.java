package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.prewarm.Coverage.Cell;
import dev.wheelhouse.cli.prewarm.Downloads.Downloaded;
import dev.wheelhouse.cli.prewarm.ProjectPages.ProjectFiles;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.tags.CandidateFile;
import dev.wheelhouse.packaging.tags.FileSelector;
import dev.wheelhouse.packaging.tags.Selection;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One prewarm run: reads each project's page once, chooses for every requirement and target the
 * wheel pip would install, downloads each chosen file once through the server (a bounded number at
 * a time) so that the server caches it, and, when asked, has the sdist-only ones built.
 */
final class Prewarm {
  static final String MARKER = "marker";

  private final IndexServer server;
  private final ProjectPages pages;
  private final Downloads downloads;
  private final int jobs;
  private final boolean allowPreReleases;
  private final Optional<MissingBuilds> builds;
  private final PrewarmProgress progress;

  /**
   * @param jobs how many pages or downloads at a time
   * @param allowPreReleases pip's {@code --pre}
   * @param builds who builds sdist-only requirements; empty leaves them sdist-only
   * @param progress closed once the downloads are done, before any build starts
   */
  Prewarm(
      IndexServer server,
      int jobs,
      boolean allowPreReleases,
      Optional<MissingBuilds> builds,
      PrewarmProgress progress) {
    this.server = server;
    this.pages = new ProjectPages(server);
    this.downloads = new Downloads(server);
    this.jobs = jobs;
    this.allowPreReleases = allowPreReleases;
    this.builds = builds;
    this.progress = progress;
  }

  /** What one requirement on one target still needs once its page is chosen from. */
  private record Pending(
      int row,
      int column,
      PrewarmItem.Wanted wanted,
      CandidateFile wheel,
      Future<Downloaded> download) {}

  /** A cell that only an sdist fits, and the version a build would make. */
  private record SdistOnly(
      int row, int column, PrewarmItem.Wanted wanted, Optional<String> version) {}

  /** A build already tried in this run, by project, version and target. */
  private record BuildKey(ProjectName project, String version, String target) {}

  /**
   * The cells of a run as they fill in, and what each requirement wants on each target it applies
   * to (null where it applies to none, or is skipped).
   */
  private static final class Grid {
    final List<PrewarmItem> items;
    final List<TargetEnvironment> targets;
    final Cell[][] cells;
    final PrewarmItem.Wanted[][] wanted;

    Grid(List<PrewarmItem> items, List<TargetEnvironment> targets) {
      this.items = items;
      this.targets = targets;
      this.cells = new Cell[items.size()][targets.size()];
      this.wanted = new PrewarmItem.Wanted[items.size()][targets.size()];
    }
  }

  /**
   * Prewarms every item for every target. Throws {@link CommandFailure} when the server cannot be
   * reached or refuses to list the index.
   */
  Coverage run(List<PrewarmItem> items, List<TargetEnvironment> targets)
      throws InterruptedException {
    long started = System.nanoTime();
    Grid grid = new Grid(items, targets);
    Set<ProjectName> projects = applyMarkers(grid);
    List<SdistOnly> sdistOnly;
    ExecutorService pool = Executors.newFixedThreadPool(jobs, daemonThreads());
    try (progress) {
      Map<ProjectName, ProjectFiles> files = fetchPages(pool, projects);
      sdistOnly = chooseAndDownload(pool, grid, files);
    } finally {
      pool.shutdownNow();
    }
    if (builds.isPresent()) {
      buildMissing(builds.get(), grid, sdistOnly);
    }

    List<Coverage.Row> rows = new ArrayList<>();
    Set<String> unpinned = new LinkedHashSet<>();
    for (int row = 0; row < items.size(); row++) {
      rows.add(row(items.get(row), grid.wanted[row], List.of(grid.cells[row])));
      for (PrewarmItem.Wanted want : grid.wanted[row]) {
        if (want != null && want.pinnedVersion().isEmpty()) {
          unpinned.add(items.get(row).project().value());
        }
      }
    }
    return new Coverage(
        targets, rows, List.copyOf(unpinned), Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Marks the cells of requirements that do not apply to a target, or are not fetched at all, as
   * skipped, and works out what the others want; returns the projects whose pages are needed.
   */
  private static Set<ProjectName> applyMarkers(Grid grid) {
    Set<ProjectName> projects = new LinkedHashSet<>();
    for (int row = 0; row < grid.items.size(); row++) {
      PrewarmItem item = grid.items.get(row);
      for (int column = 0; column < grid.targets.size(); column++) {
        TargetEnvironment target = grid.targets.get(column);
        try {
          if (!item.appliesTo(target)) {
            grid.cells[row][column] = Cell.skipped(MARKER);
          } else if (item.skipped().isPresent()) {
            grid.cells[row][column] = Cell.skipped(item.skipped().get());
          } else {
            grid.wanted[row][column] = item.wantedOn(target);
            projects.add(item.project());
          }
        } catch (IllegalArgumentException e) {
          // A marker that cannot be evaluated on this target: the message says which and why.
          grid.cells[row][column] = Cell.missing(e.getMessage());
        }
      }
    }
    return projects;
  }

  /**
   * Chooses a file for every wanted cell and downloads each chosen wheel once; fills in the cells
   * and returns the sdist-only ones.
   */
  private List<SdistOnly> chooseAndDownload(
      ExecutorService pool, Grid grid, Map<ProjectName, ProjectFiles> files)
      throws InterruptedException {
    List<SdistOnly> sdistOnly = new ArrayList<>();
    List<Pending> pending = new ArrayList<>();
    Map<String, Future<Downloaded>> byUrl = new HashMap<>();
    for (int row = 0; row < grid.items.size(); row++) {
      for (int column = 0; column < grid.targets.size(); column++) {
        PrewarmItem.Wanted want = grid.wanted[row][column];
        if (want == null) {
          continue;
        }
        ProjectFiles page = files.get(grid.items.get(row).project());
        if (page.problem().isPresent()) {
          grid.cells[row][column] = Cell.missing(page.problem().get());
          continue;
        }
        Selection selection = select(page, want, grid.targets.get(column));
        switch (selection.outcome()) {
          case WHEEL -> {
            CandidateFile wheel = selection.best().orElseThrow();
            Future<Downloaded> download =
                byUrl.computeIfAbsent(wheel.url(), url -> submitDownload(pool, wheel));
            pending.add(new Pending(row, column, want, wheel, download));
          }
          case SDIST_ONLY -> {
            Optional<SdistOffer> sdist = sdistFor(want, page);
            Optional<String> version =
                sdist.map(offer -> offer.version().toString()).or(want::pinnedVersion);
            grid.cells[row][column] =
                new Cell(
                    CellStatus.SDIST_ONLY,
                    sdist.map(SdistOffer::filename),
                    version,
                    Optional.empty(),
                    Optional.of(selection.reason()));
            sdistOnly.add(new SdistOnly(row, column, want, version));
          }
          default -> grid.cells[row][column] = Cell.missing(selection.reason());
        }
      }
    }
    for (Pending p : pending) {
      grid.cells[p.row()][p.column()] = downloaded(p.wheel(), p.wanted(), await(p.download()));
    }
    return sdistOnly;
  }

  private Map<ProjectName, ProjectFiles> fetchPages(ExecutorService pool, Set<ProjectName> projects)
      throws InterruptedException {
    progress.expect(projects.size());
    Map<ProjectName, Future<ProjectFiles>> fetching = new LinkedHashMap<>();
    for (ProjectName project : projects) {
      fetching.put(
          project,
          pool.submit(
              () -> {
                ProjectFiles page = pages.fetch(project);
                progress.step(project.value());
                return page;
              }));
    }
    Map<ProjectName, ProjectFiles> files = new HashMap<>();
    for (Map.Entry<ProjectName, Future<ProjectFiles>> entry : fetching.entrySet()) {
      files.put(entry.getKey(), await(entry.getValue()));
    }
    return files;
  }

  private Future<Downloaded> submitDownload(ExecutorService pool, CandidateFile wheel) {
    progress.expect(1);
    return pool.submit(
        () -> {
          Downloaded downloaded =
              downloads.download(
                  URI.create(wheel.url()), Optional.ofNullable(wheel.hashes().get("sha256")));
          progress.step(wheel.filename());
          return downloaded;
        });
  }

  private Selection select(ProjectFiles page, PrewarmItem.Wanted want, TargetEnvironment target) {
    // Only wheels are chosen: the point of a prewarm is that installs need not build anything.
    return FileSelector.select(
        page.files(), want.specifiers(), target, want.hashes(), allowPreReleases, true);
  }

  /** The cell for a downloaded wheel: checked against the requirement's own hashes too. */
  private static Cell downloaded(
      CandidateFile wheel, PrewarmItem.Wanted want, Downloaded downloaded) {
    Optional<String> version = versionOf(wheel.filename());
    if (!downloaded.succeeded()) {
      return new Cell(
          CellStatus.MISSING,
          Optional.of(wheel.filename()),
          version,
          Optional.empty(),
          downloaded.problem());
    }
    String sha256 = downloaded.sha256().orElseThrow();
    Set<String> allowedSha256 = new TreeSet<>();
    for (String hash : want.hashes()) {
      if (hash.startsWith("sha256:")) {
        allowedSha256.add(hash.substring("sha256:".length()));
      }
    }
    if (!allowedSha256.isEmpty() && !allowedSha256.contains(sha256)) {
      return new Cell(
          CellStatus.MISSING,
          Optional.of(wheel.filename()),
          version,
          Optional.of(sha256),
          Optional.of("sha256 " + sha256 + " is none of the requirement's --hash values"));
    }
    return new Cell(
        downloaded.cacheHit() ? CellStatus.CACHED : CellStatus.FETCHED,
        Optional.of(wheel.filename()),
        version,
        Optional.of(sha256),
        Optional.empty());
  }

  /**
   * Hands every sdist-only cell to {@code builder}, one at a time, and checks that the index then
   * offers a fitting wheel.
   */
  private void buildMissing(MissingBuilds builder, Grid grid, List<SdistOnly> sdistOnly)
      throws InterruptedException {
    Map<BuildKey, Cell> done = new HashMap<>();
    for (SdistOnly cell : sdistOnly) {
      Cell before = grid.cells[cell.row()][cell.column()];
      if (cell.version().isEmpty()) {
        grid.cells[cell.row()][cell.column()] =
            new Cell(
                CellStatus.MISSING,
                before.file(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("only an sdist fits, and no version to build was found"));
        continue;
      }
      ProjectName project = grid.items.get(cell.row()).project();
      TargetEnvironment target = grid.targets.get(cell.column());
      String version = cell.version().get();
      BuildKey key = new BuildKey(project, version, target.label());
      Cell result = done.get(key);
      if (result == null) {
        result = build(builder, project, version, target, cell.wanted(), before);
        done.put(key, result);
      }
      grid.cells[cell.row()][cell.column()] = result;
    }
  }

  private Cell build(
      MissingBuilds builder,
      ProjectName project,
      String version,
      TargetEnvironment target,
      PrewarmItem.Wanted want,
      Cell before)
      throws InterruptedException {
    MissingBuilds.BuildAttempt attempt;
    try {
      attempt = builder.build(project.value(), version, target);
    } catch (CommandFailure e) {
      // No container engine, say: every build fails the same way, and each cell says so.
      return new Cell(
          CellStatus.MISSING,
          before.file(),
          before.version(),
          Optional.empty(),
          Optional.of(e.getMessage()));
    }
    if (!attempt.succeeded()) {
      return new Cell(
          CellStatus.MISSING,
          before.file(),
          before.version(),
          Optional.empty(),
          Optional.of("build failed: " + attempt.detail()));
    }
    // The index must now offer the wheel, or installs still would not find it. A new wheel cannot
    // be among the requirement's hashes: it is looked for without them, and the cell says so.
    String built = attempt.wheelFilename().orElse(project.value() + " " + version);
    ProjectFiles page = pages.fetch(project);
    if (page.problem().isPresent()) {
      return builtButMissing(attempt, version, built, page.problem().get());
    }
    Selection selection =
        select(
            page,
            new PrewarmItem.Wanted(want.specifiers(), want.pinnedVersion(), Set.of()),
            target);
    if (selection.outcome() != Selection.Outcome.WHEEL) {
      return builtButMissing(attempt, version, built, selection.reason());
    }
    CandidateFile wheel = selection.best().orElseThrow();
    Downloaded downloaded =
        downloads.download(
            URI.create(wheel.url()), Optional.ofNullable(wheel.hashes().get("sha256")));
    if (!downloaded.succeeded()) {
      return new Cell(
          CellStatus.MISSING,
          Optional.of(wheel.filename()),
          versionOf(wheel.filename()),
          Optional.empty(),
          Optional.of("built " + built + ", but " + downloaded.problem().orElseThrow()));
    }
    return new Cell(
        CellStatus.BUILT,
        Optional.of(wheel.filename()),
        versionOf(wheel.filename()),
        downloaded.sha256(),
        want.hashes().isEmpty()
            ? Optional.empty()
            : Optional.of(
                "the built wheel's hash is not among the requirement's hashes:"
                    + " hash-checking installs will not take it until the hashes are updated"));
  }

  private Cell builtButMissing(
      MissingBuilds.BuildAttempt attempt, String version, String built, String why) {
    return new Cell(
        CellStatus.MISSING,
        attempt.wheelFilename(),
        Optional.of(version),
        Optional.empty(),
        Optional.of(
            "built " + built + ", but " + server.indexName() + " does not offer it: " + why));
  }

  /**
   * The sdist an install would build for an sdist-only cell: the newest one of a wanted version
   * with an allowed hash, not yanked unless pinned. The selector names it only in its reason when
   * asked for binaries, so it is looked up here.
   */
  private Optional<SdistOffer> sdistFor(PrewarmItem.Wanted want, ProjectFiles page) {
    SdistOffer newest = null;
    for (CandidateFile file : page.files()) {
      if ((file.yanked() && want.pinnedVersion().isEmpty()) || !hashAllowed(file, want.hashes())) {
        continue;
      }
      try {
        if (DistributionFilename.parse(file.filename()) instanceof SdistFilename sdist
            && want.specifiers().contains(sdist.version(), allowPreReleases)
            && (newest == null || sdist.version().compareTo(newest.version()) > 0)) {
          newest = new SdistOffer(file.filename(), sdist.version());
        }
      } catch (PackagingException e) {
        // Not a distribution file name: not a candidate.
      }
    }
    return Optional.ofNullable(newest);
  }

  /** An sdist on a page and its version. */
  private record SdistOffer(String filename, Version version) {}

  private static boolean hashAllowed(CandidateFile file, Set<String> allowed) {
    if (allowed.isEmpty()) {
      return true;
    }
    return file.hashes().entrySet().stream()
        .anyMatch(h -> allowed.contains(h.getKey() + ":" + h.getValue()));
  }

  /**
   * The row of {@code item}: its version is the one every target it applies to pins (constraints
   * included), or, where it applies to none, the one it pins itself.
   */
  private static Coverage.Row row(PrewarmItem item, PrewarmItem.Wanted[] wanted, List<Cell> cells) {
    Set<String> pins = new LinkedHashSet<>();
    boolean anyWanted = false;
    boolean anyUnpinned = false;
    for (PrewarmItem.Wanted want : wanted) {
      if (want != null) {
        anyWanted = true;
        want.pinnedVersion().ifPresent(pins::add);
        anyUnpinned |= want.pinnedVersion().isEmpty();
      }
    }
    Optional<String> version =
        !anyWanted
            ? item.specifiers().pinnedVersion()
            : pins.size() == 1 && !anyUnpinned
                ? Optional.of(pins.iterator().next())
                : Optional.empty();
    String name = item.project().value();
    String requested =
        version
            .map(v -> name + "==" + v)
            .orElseGet(() -> item.specifiers().isEmpty() ? name : name + item.specifiers());
    return new Coverage.Row(name, version, requested, item.source(), cells);
  }

  private static Optional<String> versionOf(String filename) {
    try {
      return Optional.of(DistributionFilename.parse(filename).version().toString());
    } catch (PackagingException e) {
      return Optional.empty();
    }
  }

  private static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof InterruptedException) {
        throw new InterruptedException("interrupted while prewarming");
      }
      throw new IllegalStateException("prewarm task failed", cause);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "prewarm-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
