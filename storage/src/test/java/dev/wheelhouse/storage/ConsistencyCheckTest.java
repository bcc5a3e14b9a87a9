package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsistencyCheckTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path data;
  FileBlobStore blobs;
  MetadataStore meta;

  @BeforeEach
  void open() throws IOException {
    blobs = FileBlobStore.open(data);
    meta = MetadataStore.open(data.resolve("meta"), CLOCK);
  }

  @AfterEach
  void close() throws IOException {
    if (meta != null) {
      meta.close();
    }
    if (blobs != null) {
      blobs.close();
    }
  }

  @Test
  void aStoreWrittenByTheRulesIsConsistent() throws IOException {
    upload("foo", "foo-1.0-py3-none-any.whl", true);
    upload("bar", "bar-1.0.tar.gz", false);

    ConsistencyReport report = ConsistencyCheck.run(meta, blobs);

    assertThat(report.consistent()).isTrue();
    assertThat(report.danglingFiles()).isEmpty();
    assertThat(report.danglingBlobRecords()).isEmpty();
    assertThat(report.orphanBlobs()).isEmpty();
    assertThat(report.filesChecked()).isEqualTo(2);
    assertThat(report.blobsChecked()).isEqualTo(3);
  }

  @Test
  void findsFileRecordsWhoseBlobIsGone() throws IOException {
    FileRecord file = upload("foo", "foo-1.0-py3-none-any.whl", true);
    blobs.delete(file.sha256());
    blobs.delete(file.coreMetadata().orElseThrow());

    ConsistencyReport report = ConsistencyCheck.run(meta, blobs);

    assertThat(report.consistent()).isFalse();
    assertThat(report.danglingFiles())
        .containsExactly(
            "local/foo/foo-1.0-py3-none-any.whl -> " + file.sha256(),
            "local/foo/foo-1.0-py3-none-any.whl.metadata -> " + file.coreMetadata().orElseThrow());
    assertThat(report.danglingBlobRecords())
        .containsExactlyInAnyOrder(file.sha256(), file.coreMetadata().orElseThrow());
  }

  @Test
  void findsOrphanBlobsWithoutCallingThemInconsistent() throws IOException {
    upload("foo", "foo-1.0.tar.gz", false);
    StoredBlob orphan =
        blobs.put(new ByteArrayInputStream(bytes("interrupted upload")), Optional.empty());

    ConsistencyReport report = ConsistencyCheck.run(meta, blobs);

    assertThat(report.orphanBlobs()).containsExactly(orphan.sha256());
    assertThat(report.consistent()).isTrue();
  }

  /** Stores blobs first, then metadata: the order the rules require. */
  private FileRecord upload(String project, String filename, boolean withMetadata)
      throws IOException {
    StoredBlob blob = blobs.put(new ByteArrayInputStream(bytes(filename)), Optional.empty());
    Optional<Sha256> metadata = Optional.empty();
    if (withMetadata) {
      StoredBlob stored =
          blobs.put(new ByteArrayInputStream(bytes("Name: " + project)), Optional.empty());
      meta.putBlob(new BlobRecord(stored.sha256(), stored.size(), CLOCK.instant()));
      metadata = Optional.of(stored.sha256());
    }
    FileRecord file =
        new FileRecord(
            "local",
            project,
            filename,
            "1.0",
            blob.sha256(),
            blob.size(),
            CLOCK.instant(),
            Optional.empty(),
            Optional.empty(),
            metadata,
            Map.of());
    meta.putFile(file, project);
    return file;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
