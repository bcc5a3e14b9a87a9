package dev.wheelhouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that no metadata points at a missing blob (DESIGN §6 rule 2) and finds blob files nothing
 * records. Streams both stores; only the problems found are kept in memory.
 */
public final class ConsistencyCheck {
  private ConsistencyCheck() {}

  public static ConsistencyReport run(MetadataStore meta, BlobStore blobs) throws IOException {
    List<String> danglingFiles = new ArrayList<>();
    List<Sha256> danglingBlobRecords = new ArrayList<>();
    List<Sha256> orphanBlobs = new ArrayList<>();
    long[] filesChecked = {0};
    long[] blobsChecked = {0};

    meta.forEachFile(
        file -> {
          filesChecked[0]++;
          String name = file.index() + "/" + file.project() + "/" + file.filename();
          if (!blobs.contains(file.sha256())) {
            danglingFiles.add(name + " -> " + file.sha256());
          }
          file.coreMetadata()
              .filter(sha -> !blobs.contains(sha))
              .ifPresent(sha -> danglingFiles.add(name + ".metadata -> " + sha));
        });
    meta.forEachProvenance(
        (file, built) ->
            built
                .buildLog()
                .filter(sha -> !blobs.contains(sha))
                .ifPresent(sha -> danglingFiles.add(file + " build log -> " + sha)));
    meta.forEachAptFile(
        file -> {
          filesChecked[0]++;
          if (!blobs.contains(file.sha256())) {
            danglingFiles.add("apt/" + file.mirror() + "/" + file.path() + " -> " + file.sha256());
          }
        });
    meta.forEachBlob(
        blob -> {
          blobsChecked[0]++;
          if (!blobs.contains(blob.sha256())) {
            danglingBlobRecords.add(blob.sha256());
          }
        });
    try (Stream<Sha256> stored = blobs.list()) {
      stored.filter(sha -> meta.getBlob(sha).isEmpty()).forEach(orphanBlobs::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new ConsistencyReport(
        danglingFiles, danglingBlobRecords, orphanBlobs, filesChecked[0], blobsChecked[0]);
  }
}
