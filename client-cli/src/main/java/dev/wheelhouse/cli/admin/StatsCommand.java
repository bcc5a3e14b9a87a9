package dev.wheelhouse.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelhouse.cli.ByteSize;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;

/** {@code wheelhouse stats}: what the server stores, what its cache saves, and the last prune. */
@Command(
    name = "stats",
    description =
        "Show storage by index, hit ratio, bytes saved, the largest projects and the last prune.")
public final class StatsCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public StatsCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    AdminClient client =
        new AdminClient("stats", server.baseUrl(invocation.env()), server.token(invocation.env()));
    JsonNode document = client.get("/admin/stats");
    if (json.enabled()) {
      JsonOption.print(invocation.out(), document);
    } else {
      print(invocation.out(), client.read(document, StorageStats.class));
    }
    return ExitCode.OK;
  }

  static void print(PrintStream out, StorageStats stats) {
    if (!stats.owners().isEmpty()) {
      Table owners = new Table("NAME", "KIND", ">FILES", ">SIZE", ">HITS", "LAST ACCESS");
      Map<String, Long> byKind = new LinkedHashMap<>();
      for (StorageStats.Owner owner : stats.owners()) {
        String kind = owner.kind() == null ? "-" : owner.kind();
        owners.row(
            owner.name(),
            kind,
            String.valueOf(owner.files()),
            ByteSize.format(owner.bytes()),
            String.valueOf(owner.hits()),
            Human.time(owner.lastAccess()));
        byKind.merge(kind, owner.bytes(), Long::sum);
      }
      owners.print(out);
      out.println();
      if (byKind.size() > 1) {
        out.println(
            "by kind: "
                + byKind.entrySet().stream()
                    .map(e -> e.getKey() + " " + ByteSize.format(e.getValue()))
                    .collect(Collectors.joining(", ")));
      }
    }
    out.println(
        "total: "
            + Human.count(stats.entries(), "file")
            + ", "
            + ByteSize.format(stats.bytes())
            + " in "
            + Human.count(stats.blobs().count(), "blob")
            + " ("
            + ByteSize.format(stats.blobs().bytes())
            + " on disk)");
    out.println(
        "served "
            + ByteSize.format(stats.servedBytes())
            + ", fetched upstream "
            + ByteSize.format(stats.fetchedBytes())
            + ": saved "
            + ByteSize.format(Math.max(0, stats.servedBytes() - stats.fetchedBytes()))
            + "; hit ratio "
            + Human.percent(stats.hitRatio()));
    if (!stats.largestProjects().isEmpty()) {
      out.println();
      out.println("largest projects:");
      Table projects = new Table("INDEX", "PROJECT", ">FILES", ">SIZE");
      for (ProjectSize project : stats.largestProjects()) {
        projects.row(
            project.index(),
            project.project(),
            String.valueOf(project.files()),
            ByteSize.format(project.bytes()));
      }
      projects.print(out);
    }
    out.println();
    out.println(lastPrune(stats.lastPrune()));
    out.flush();
  }

  private static String lastPrune(PruneReport prune) {
    if (prune == null) {
      return "last prune: never";
    }
    String when = "last prune: " + Human.time(prune.finishedAt());
    String files =
        Human.count(prune.entriesSelected(), "file")
            + " ("
            + ByteSize.format(prune.bytesSelected())
            + ")";
    if (!prune.applied()) {
      return when + ", dry run: would delete " + files;
    }
    return when + ": deleted " + files + ", freed " + ByteSize.format(prune.bytesFreed());
  }
}
