package dev.wheelhouse.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.ByteSize;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse prune}: asks the server to evict cached files by size, age and free space. A
 * dry run unless {@code --apply}: the server reports what it would delete and deletes nothing.
 */
@Command(
    name = "prune",
    description = {
      "Evict least recently used cached files by total size, age and free disk space.",
      "A dry run unless --apply; options not given use the server's prune config."
    })
public final class PruneCommand implements Callable<Integer> {
  /** Files listed in the human output; --json has every file the server sent. */
  static final int FILES_SHOWN = 20;

  static final String DRY_RUN = "dry run: nothing deleted; add --apply to delete";

  private final Invocation invocation;

  @Option(
      names = "--max-size",
      paramLabel = "SIZE",
      description = "Evict least recently used files beyond this total (200GB, 512MiB).")
  private String maxSize;

  @Option(
      names = "--max-age",
      paramLabel = "AGE",
      description = "Evict files not used for this long (30d, 12h).")
  private String maxAge;

  @Option(
      names = "--min-free",
      paramLabel = "SIZE",
      description = "Evict least recently used files until the disk has this much free (10GB).")
  private String minFree;

  @Option(
      names = "--index",
      paramLabel = "NAME",
      description =
          "Only consider this index or apt mirror (repeatable; default: all that the"
              + " server may prune).")
  private List<String> indexes;

  @Option(
      names = "--keep",
      paramLabel = "PATTERN",
      description =
          "Also never evict projects matching this pattern, like torch* (repeatable; adds"
              + " to the configured keep list).")
  private List<String> keep;

  @Option(names = "--apply", description = "Delete the selected files (default: dry run).")
  private boolean apply;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public PruneCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = AdminClient.MAPPER.createObjectNode();
    body.put("apply", apply);
    body.put("maxSize", Arguments.size("--max-size", maxSize));
    body.put("maxAge", Arguments.duration("--max-age", maxAge));
    body.put("minFree", Arguments.size("--min-free", minFree));
    putList(body, "indexes", Arguments.names("--index", indexes));
    putList(body, "keep", Arguments.patterns("--keep", keep));

    AdminClient client =
        new AdminClient("prune", server.baseUrl(invocation.env()), server.token(invocation.env()));
    AdminProgress progress =
        AdminProgress.of(invocation.err(), invocation.interactive() && !json.enabled(), "prune");
    JsonNode report;
    try {
      report = client.stream("/admin/prune", body, progress);
    } finally {
      progress.clear();
    }
    if (json.enabled()) {
      JsonOption.print(invocation.out(), report);
    } else {
      print(invocation.out(), client.read(report, PruneReport.class));
    }
    return ExitCode.OK;
  }

  private static void putList(ObjectNode body, String field, List<String> values) {
    if (values == null) {
      body.putNull(field);
      return;
    }
    ArrayNode array = body.putArray(field);
    values.forEach(array::add);
  }

  /**
   * The human form of a report: projects, the first files, totals, and whether it was a dry run.
   */
  static void print(PrintStream out, PruneReport report) {
    if (report.entriesSelected() == 0 && report.projects().isEmpty()) {
      out.println(
          "nothing to prune; scanned "
              + Human.count(report.entriesScanned(), "entry", "entries")
              + " in "
              + Human.took(report.tookMillis()));
    } else {
      printTables(out, report);
      out.println();
      out.println(totals(report));
    }
    if (report.skippedInUse() > 0) {
      out.println("skipped " + Human.count(report.skippedInUse(), "file") + " in use");
    }
    if (!report.applied()) {
      out.println(DRY_RUN);
    }
    out.flush();
  }

  private static void printTables(PrintStream out, PruneReport report) {
    Table projects = new Table("INDEX", "PROJECT", ">FILES", ">SIZE");
    for (ProjectSize project : report.projects()) {
      projects.row(
          project.index(),
          project.project(),
          String.valueOf(project.files()),
          ByteSize.format(project.bytes()));
    }
    if (!projects.isEmpty()) {
      projects.print(out);
    }
    List<PruneReport.SelectedFile> files = report.files();
    List<PruneReport.SelectedFile> shown = files.subList(0, Math.min(FILES_SHOWN, files.size()));
    if (!shown.isEmpty()) {
      Table table = new Table("INDEX", "FILE", ">SIZE", "LAST USED", "REASON");
      for (PruneReport.SelectedFile file : shown) {
        table.row(
            file.index(),
            file.name(),
            ByteSize.format(file.bytes()),
            Human.time(file.lastUsed()),
            file.reason() == null ? "-" : file.reason());
      }
      out.println();
      table.print(out);
    }
    long more = Math.max(report.entriesSelected(), files.size()) - shown.size();
    if (more > 0) {
      out.println("... and " + Human.count(more, "more file", "more files"));
    }
  }

  private static String totals(PruneReport report) {
    String selected =
        Human.count(report.entriesSelected(), "file")
            + " ("
            + ByteSize.format(report.bytesSelected())
            + ") in "
            + Human.count(report.projects().size(), "project");
    String scanned =
        "scanned "
            + Human.count(report.entriesScanned(), "entry", "entries")
            + " in "
            + Human.took(report.tookMillis());
    if (!report.applied()) {
      return "would delete " + selected + "; " + scanned;
    }
    return "deleted "
        + selected
        + ", removed "
        + Human.count(report.blobsDeleted(), "blob")
        + ", freed "
        + ByteSize.format(report.bytesFreed())
        + "; "
        + scanned;
  }
}
