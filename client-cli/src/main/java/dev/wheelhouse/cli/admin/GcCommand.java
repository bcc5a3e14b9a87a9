package dev.wheelhouse.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.ByteSize;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse gc}: asks the server for blobs no entry uses any more and for leftover
 * temporary files, and with {@code --apply} to remove them.
 */
@Command(
    name = "gc",
    description = {
      "Find blobs no index entry uses and leftover temporary files; remove them with --apply.",
      "A dry run unless --apply."
    })
public final class GcCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Option(names = "--apply", description = "Remove what was found (default: dry run).")
  private boolean apply;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public GcCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = AdminClient.MAPPER.createObjectNode();
    body.put("apply", apply);
    AdminClient client =
        new AdminClient("gc", server.baseUrl(invocation.env()), server.token(invocation.env()));
    AdminProgress progress =
        AdminProgress.of(invocation.err(), invocation.interactive() && !json.enabled(), "gc");
    JsonNode report;
    try {
      report = client.stream("/admin/gc", body, progress);
    } finally {
      progress.clear();
    }
    if (json.enabled()) {
      JsonOption.print(invocation.out(), report);
    } else {
      print(invocation.out(), client.read(report, GcReport.class));
    }
    return ExitCode.OK;
  }

  static void print(PrintStream out, GcReport report) {
    String scanned =
        "; scanned "
            + Human.count(report.blobsScanned(), "blob")
            + " in "
            + Human.took(report.tookMillis());
    String orphans =
        Human.count(report.orphanBlobs(), "orphan blob")
            + " ("
            + ByteSize.format(report.orphanBytes())
            + ")";
    String temp =
        report.removedTempFiles() > 0
            ? " and " + Human.count(report.removedTempFiles(), "temporary file")
            : "";
    if (report.applied()) {
      out.println(
          "removed "
              + Human.count(report.removedBlobs(), "orphan blob")
              + " ("
              + ByteSize.format(report.orphanBytes())
              + ")"
              + temp
              + scanned);
    } else if (report.orphanBlobs() == 0 && report.removedTempFiles() == 0) {
      out.println("nothing to collect" + scanned);
    } else {
      out.println("would remove " + orphans + temp + scanned);
    }
    if (!report.applied()) {
      out.println(PruneCommand.DRY_RUN);
    }
    out.flush();
  }
}
