package dev.wheelhouse.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelhouse.cli.ByteSize;
import dev.wheelhouse.cli.CommandFailure;
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
 * {@code wheelhouse verify}: asks the server to re-hash stored blobs. The server quarantines a
 * corrupt blob and drops the entries that used it; this command then exits 1, so that scripts and
 * cron notice.
 */
@Command(
    name = "verify",
    description = {
      "Re-hash stored blobs; the server quarantines corrupt ones and drops their entries.",
      "Exits 1 if any blob was corrupt."
    })
public final class VerifyCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Option(
      names = "--sample",
      paramLabel = "FRACTION",
      defaultValue = "1.0",
      description =
          "Share of the blobs to check, above 0 and at most 1 (default: ${DEFAULT-VALUE}).")
  private String sample;

  @Option(
      names = "--unchecked-for",
      paramLabel = "AGE",
      description = "Only check blobs not checked for this long (7d, 12h; default: all).")
  private String uncheckedFor;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public VerifyCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = AdminClient.MAPPER.createObjectNode();
    body.put("sample", Arguments.fraction("--sample", sample));
    body.put("uncheckedFor", Arguments.duration("--unchecked-for", uncheckedFor));
    AdminClient client =
        new AdminClient("verify", server.baseUrl(invocation.env()), server.token(invocation.env()));
    AdminProgress progress =
        AdminProgress.of(invocation.err(), invocation.interactive() && !json.enabled(), "verify");
    JsonNode document;
    try {
      document = client.stream("/admin/verify", body, progress);
    } finally {
      progress.clear();
    }
    VerifyReport report = client.read(document, VerifyReport.class);
    if (json.enabled()) {
      JsonOption.print(invocation.out(), document);
    } else {
      print(invocation.out(), report);
    }
    long corrupt = Math.max(report.corrupt(), report.corruptBlobs().size());
    if (corrupt > 0) {
      throw CommandFailure.failed("verify found " + Human.count(corrupt, "corrupt blob"));
    }
    return ExitCode.OK;
  }

  static void print(PrintStream out, VerifyReport report) {
    out.println(
        "checked "
            + Human.count(report.checked(), "blob")
            + " ("
            + ByteSize.format(report.bytesChecked())
            + ") in "
            + Human.took(report.tookMillis())
            + ": "
            + report.corrupt()
            + " corrupt");
    for (VerifyReport.CorruptBlob blob : report.corruptBlobs()) {
      out.println();
      out.println("corrupt blob " + blob.sha256());
      if (blob.actual() != null) {
        out.println("  content hashes to " + blob.actual());
      }
      for (String entry : blob.entries()) {
        out.println("  entry " + entry);
      }
      if (blob.quarantinedTo() != null) {
        out.println("  quarantined to " + blob.quarantinedTo());
      }
    }
    if (report.entriesDropped() > 0) {
      out.println();
      out.println(
          "dropped "
              + Human.count(report.entriesDropped(), "entry", "entries")
              + " that used corrupt blobs");
    }
    out.flush();
  }
}
