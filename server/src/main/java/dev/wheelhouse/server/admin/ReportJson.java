package dev.wheelhouse.server.admin;

import dev.wheelhouse.server.lifecycle.CorruptBlob;
import dev.wheelhouse.server.lifecycle.GcReport;
import dev.wheelhouse.server.lifecycle.OwnerTotal;
import dev.wheelhouse.server.lifecycle.ProjectTotal;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.SelectedFile;
import dev.wheelhouse.server.lifecycle.StatsReport;
import dev.wheelhouse.server.lifecycle.VerifyReport;
import dev.wheelhouse.server.ops.TrafficTotals;
import dev.wheelhouse.storage.BlobTotals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The admin API's JSON: one explicit shape per report, the contract the CLI reads. */
final class ReportJson {
  private ReportJson() {}

  static JsonObject prune(PruneReport report) {
    return new JsonObject()
        .put("applied", report.applied())
        .put("entriesScanned", report.entriesScanned())
        .put("entriesSelected", report.entriesSelected())
        .put("bytesSelected", report.bytesSelected())
        .put("blobsDeleted", report.blobsDeleted())
        .put("bytesFreed", report.bytesFreed())
        .put("skippedInUse", report.skippedInUse())
        .put("projects", array(report.projects(), ReportJson::project))
        .put("files", array(report.files(), ReportJson::file))
        .put("filesTruncated", report.filesTruncated())
        .put("tookMillis", report.tookMillis())
        .put("finishedAt", report.finishedAt().toString());
  }

  static JsonObject gc(GcReport report) {
    return new JsonObject()
        .put("applied", report.applied())
        .put("blobsScanned", report.blobsScanned())
        .put("orphanBlobs", report.orphanBlobs())
        .put("orphanBytes", report.orphanBytes())
        .put("removedBlobs", report.removedBlobs())
        .put("removedTempFiles", report.removedTempFiles())
        .put("tookMillis", report.tookMillis());
  }

  static JsonObject verify(VerifyReport report) {
    return new JsonObject()
        .put("checked", report.checked())
        .put("bytesChecked", report.bytesChecked())
        .put("corrupt", report.corrupt())
        .put("corruptBlobs", array(report.corruptBlobs(), ReportJson::corrupt))
        .put("entriesDropped", report.entriesDropped())
        .put("tookMillis", report.tookMillis());
  }

  static JsonObject stats(
      StatsReport stats,
      BlobTotals blobs,
      Optional<PruneReport> lastPrune,
      TrafficTotals.Totals traffic) {
    return new JsonObject()
        .put("entries", stats.entries())
        .put("bytes", stats.bytes())
        .put("blobs", new JsonObject().put("count", blobs.count()).put("bytes", blobs.bytes()))
        .put("owners", array(stats.owners(), ReportJson::owner))
        .put("largestProjects", array(stats.largestProjects(), ReportJson::project))
        .put("lastPrune", lastPrune.map(ReportJson::prune).orElse(null))
        .put("servedBytes", traffic.servedBytes())
        .put("fetchedBytes", traffic.fetchedBytes())
        .put("hitRatio", traffic.hitRatio().orElse(null));
  }

  private static JsonObject project(ProjectTotal project) {
    return new JsonObject()
        .put("index", project.index())
        .put("project", project.project())
        .put("files", project.files())
        .put("bytes", project.bytes());
  }

  private static JsonObject file(SelectedFile file) {
    return new JsonObject()
        .put("index", file.index())
        .put("project", file.project())
        .put("name", file.name())
        .put("bytes", file.bytes())
        .put("lastUsed", file.lastUsed().toString())
        .put("reason", file.reason());
  }

  private static JsonObject corrupt(CorruptBlob blob) {
    return new JsonObject()
        .put("sha256", blob.sha256())
        .put("actual", blob.actual())
        .put("entries", new JsonArray(List.copyOf(blob.entries())))
        .put("quarantinedTo", blob.quarantinedTo());
  }

  private static JsonObject owner(OwnerTotal owner) {
    return new JsonObject()
        .put("name", owner.name())
        .put("kind", owner.kind())
        .put("files", owner.files())
        .put("bytes", owner.bytes())
        .put("hits", owner.hits())
        .put("lastAccess", owner.lastAccess().map(Object::toString).orElse(null));
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> mapper) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(mapper.apply(item)));
    return array;
  }
}
