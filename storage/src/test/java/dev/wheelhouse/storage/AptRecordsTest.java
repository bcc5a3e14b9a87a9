package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apt column families: cached files, expected digests of pool files, and their checks. */
class AptRecordsTest {
  private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

  @TempDir Path data;
  final MutableClock clock = new MutableClock(START);
  FileBlobStore blobs;
  MetadataStore meta;

  @BeforeEach
  void open() throws IOException {
    blobs = FileBlobStore.open(data);
    meta = MetadataStore.open(data.resolve("meta"), clock);
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
  void anAptFileRoundTripsWithItsBlobRow() throws IOException {
    AptFileRecord file = stored("debian", "dists/stable/InRelease", "release v1");

    meta.putAptFile(file);

    assertThat(meta.getAptFile("debian", "dists/stable/InRelease")).contains(file);
    assertThat(meta.getAptFile("debian", "dists/stable/Release")).isEmpty();
    assertThat(meta.getAptFile("other", "dists/stable/InRelease")).isEmpty();
    assertThat(meta.getBlob(file.sha256()))
        .contains(new BlobRecord(file.sha256(), file.size(), START));
    assertThat(meta.blobTotals()).isEqualTo(new BlobTotals(1, file.size()));
  }

  @Test
  void aNewVersionReplacesTheRecordAndKeepsBothBlobsAccounted() throws IOException {
    AptFileRecord first = stored("debian", "dists/stable/InRelease", "release v1");
    meta.putAptFile(first);
    clock.advance(Duration.ofMinutes(10));
    AptFileRecord second = stored("debian", "dists/stable/InRelease", "release v2, longer");

    meta.putAptFile(second);

    assertThat(meta.getAptFile("debian", "dists/stable/InRelease")).contains(second);
    assertThat(meta.blobTotals()).isEqualTo(new BlobTotals(2, first.size() + second.size()));
  }

  @Test
  void revalidationKeepsBytesAndValidatorsAndMovesOnlyTheValidationTime() throws IOException {
    AptFileRecord file = stored("debian", "dists/stable/Release", "release");
    Instant later = START.plus(Duration.ofHours(2));

    meta.putAptFile(file.revalidated(later));

    AptFileRecord read = meta.getAptFile("debian", "dists/stable/Release").orElseThrow();
    assertThat(read.validatedAt()).isEqualTo(later);
    assertThat(read.fetchedAt()).isEqualTo(START);
    assertThat(read.sha256()).isEqualTo(file.sha256());
    assertThat(read.etag()).isEqualTo(file.etag());
    assertThat(read.lastModified()).isEqualTo(file.lastModified());
  }

  @Test
  void deletingForgetsTheRowButNotTheBlob() throws IOException {
    AptFileRecord file = stored("debian", "pool/main/h/hello/hello_2.10-3_amd64.deb", "deb");
    meta.putAptFile(file);

    assertThat(meta.deleteAptFile("debian", file.path())).isTrue();
    assertThat(meta.deleteAptFile("debian", file.path())).isFalse();

    assertThat(meta.getAptFile("debian", file.path())).isEmpty();
    assertThat(meta.getBlob(file.sha256())).isPresent();
  }

  @Test
  void filesAreVisitedInMirrorThenPathOrderAndSurviveARestart() throws IOException {
    meta.putAptFile(stored("ubuntu", "dists/noble/InRelease", "u"));
    meta.putAptFile(stored("debian", "pool/main/z/z.deb", "z"));
    meta.putAptFile(stored("debian", "dists/stable/InRelease", "d"));
    meta.close();
    meta = MetadataStore.open(data.resolve("meta"), clock);

    List<String> seen = new ArrayList<>();
    meta.forEachAptFile(file -> seen.add(file.mirror() + ":" + file.path()));

    assertThat(seen)
        .containsExactly(
            "debian:dists/stable/InRelease",
            "debian:pool/main/z/z.deb",
            "ubuntu:dists/noble/InRelease");
  }

  @Test
  void expectedDigestsOfAWholeIndexAreStoredAcrossBatchesAndLaterStatementsWin() {
    int count = 10_000; // more than one write batch
    meta.putAptExpected(
        IntStream.range(0, count)
            .mapToObj(i -> expected("debian", "pool/main/p/p" + i + ".deb", "v1-" + i, i))
            .toList());
    meta.putAptExpected(List.of(expected("debian", "pool/main/p/p7.deb", "v2-7", 70)));

    assertThat(meta.getAptExpected("debian", "pool/main/p/p0.deb"))
        .contains(expected("debian", "pool/main/p/p0.deb", "v1-0", 0));
    assertThat(meta.getAptExpected("debian", "pool/main/p/p9999.deb"))
        .contains(expected("debian", "pool/main/p/p9999.deb", "v1-9999", 9999));
    assertThat(meta.getAptExpected("debian", "pool/main/p/p7.deb"))
        .contains(expected("debian", "pool/main/p/p7.deb", "v2-7", 70));
    assertThat(meta.getAptExpected("ubuntu", "pool/main/p/p0.deb")).isEmpty();
  }

  @Test
  void theConsistencyCheckFindsAnAptFileWhoseBlobIsGone() throws IOException {
    AptFileRecord kept = stored("debian", "dists/stable/InRelease", "kept");
    AptFileRecord lost = stored("debian", "pool/main/l/lost.deb", "lost");
    meta.putAptFile(kept);
    meta.putAptFile(lost);
    assertThat(ConsistencyCheck.run(meta, blobs).consistent()).isTrue();

    java.nio.file.Files.delete(blobs.get(lost.sha256()).orElseThrow().path());

    ConsistencyReport report = ConsistencyCheck.run(meta, blobs);
    assertThat(report.consistent()).isFalse();
    assertThat(report.danglingFiles())
        .containsExactly("apt/debian/pool/main/l/lost.deb -> " + lost.sha256());
  }

  private AptFileRecord stored(String mirror, String path, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    StoredBlob blob = blobs.put(new ByteArrayInputStream(bytes), Optional.empty());
    return new AptFileRecord(
        mirror,
        path,
        blob.sha256(),
        blob.size(),
        clock.instant(),
        clock.instant(),
        Optional.of("\"" + content.hashCode() + "\""),
        Optional.of("Sat, 01 Mar 2025 11:00:00 GMT"));
  }

  private static AptExpectedFile expected(String mirror, String path, String content, long size) {
    return new AptExpectedFile(
        mirror, path, Sha256.digest(content.getBytes(StandardCharsets.UTF_8)), size);
  }
}
