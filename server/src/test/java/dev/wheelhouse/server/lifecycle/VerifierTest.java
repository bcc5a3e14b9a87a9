package dev.wheelhouse.server.lifecycle;

import static dev.wheelhouse.server.lifecycle.LifecycleStore.START;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.content;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotten blobs are found, quarantined and dropped; samples rotate through the store. */
class VerifierTest {
  @TempDir Path dir;
  LifecycleStore store;
  Path quarantine;
  final List<EntryRef> dropped = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    store = new LifecycleStore(dir);
    quarantine = store.data.resolve("quarantine");
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  Verifier verifier() {
    return new Verifier(store.meta, store.blobs, store.clock, quarantine, dropped::add);
  }

  @Test
  void aCorruptBlobIsQuarantinedAndEveryEntryHoldingItDropped() throws IOException {
    byte[] bytes = content("wheel", 5000);
    byte[] metadata = content("METADATA", 300);
    FileRecord hosted =
        store.wheel("local", "rot", "rot-1.0-py3-none-any.whl", bytes, metadata, START);
    FileRecord proxied =
        store.wheel("pypi", "rot", "rot-1.0-py3-none-any.whl", bytes, metadata, START);
    FileRecord good = store.file("pypi", "good", "good-1.0.tar.gz", 700, START);
    Sha256 sha = hosted.sha256();
    byte[] rotten = bytes.clone();
    rotten[1234] ^= 1;
    Files.write(store.blobs.pathOf(sha), rotten);
    store.clock.advance(Duration.ofMinutes(5));

    VerifyReport report = verifier().run(VerifyOptions.ALL, ProgressListener.NONE);

    assertThat(report.checked()).isEqualTo(3);
    assertThat(report.bytesChecked()).isEqualTo(5000 + 300 + 700);
    assertThat(report.corrupt()).isEqualTo(1);
    assertThat(report.entriesDropped()).isEqualTo(2);
    Path quarantined = quarantine.resolve(sha.hex());
    assertThat(report.corruptBlobs())
        .containsExactly(
            new CorruptBlob(
                sha.hex(),
                Sha256.digest(rotten).hex(),
                List.of(ref(hosted).toString(), ref(proxied).toString()),
                quarantined.toString()));
    assertThat(Files.readAllBytes(quarantined)).isEqualTo(rotten);
    assertThat(store.blobs.contains(sha)).isFalse();
    assertThat(store.meta.getBlob(sha)).isEmpty();
    assertThat(dropped).containsExactlyInAnyOrder(ref(hosted), ref(proxied));
    assertThat(store.names()).containsExactly(ref(good).toString());
    assertThat(store.meta.getBlobCheck(good.sha256())).contains(START.plus(Duration.ofMinutes(5)));
    assertThat(store.meta.getBlobCheck(hosted.coreMetadata().orElseThrow())).isPresent();
    store.assertConsistent();
  }

  @Test
  void aQuarantineInterruptedAfterTheMoveIsFinishedByTheNextRun() throws IOException {
    FileRecord file = store.file("pypi", "half", "half-1.0.tar.gz", 900, START);
    Files.createDirectories(quarantine);
    Path moved = quarantine.resolve(file.sha256().hex());
    Files.move(store.blobs.pathOf(file.sha256()), moved);
    Files.write(moved, content("not what it was", 900));

    VerifyReport report = verifier().run(VerifyOptions.ALL, ProgressListener.NONE);

    assertThat(report.corrupt()).isEqualTo(1);
    assertThat(report.entriesDropped()).isEqualTo(1);
    assertThat(store.names()).isEmpty();
    assertThat(store.meta.getBlob(file.sha256())).isEmpty();
    store.assertConsistent();
  }

  @Test
  void samplesTakeTheNextSliceInDigestOrderWhenCombinedWithUncheckedFor() throws IOException {
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      digests.add(store.file("pypi", "s", "s-" + i + ".tar.gz", 100 + i, START).sha256().hex());
    }
    digests.sort(null);
    VerifyOptions sample = new VerifyOptions(0.3, Optional.of(Duration.ofDays(1)));

    assertThat(verifier().run(sample, ProgressListener.NONE).checked()).isEqualTo(3);
    assertThat(checked()).containsExactlyElementsOf(digests.subList(0, 3));
    store.clock.advance(Duration.ofMinutes(1));
    assertThat(verifier().run(sample, ProgressListener.NONE).checked()).isEqualTo(3);
    assertThat(checked()).containsExactlyElementsOf(digests.subList(0, 6));
    verifier().run(sample, ProgressListener.NONE);
    assertThat(verifier().run(sample, ProgressListener.NONE).checked()).isEqualTo(1);
    assertThat(checked()).containsExactlyElementsOf(digests);
    assertThat(verifier().run(sample, ProgressListener.NONE).checked())
        .as("everything was checked within a day")
        .isZero();

    // Without uncheckedFor a sample is the same slice every time.
    Instant before = store.clock.instant();
    store.clock.advance(Duration.ofHours(1));
    VerifyOptions plain = new VerifyOptions(0.3, Optional.empty());
    assertThat(verifier().run(plain, ProgressListener.NONE).checked()).isEqualTo(3);
    assertThat(checkedAfter(before)).containsExactlyElementsOf(digests.subList(0, 3));
  }

  @Test
  void uncheckedForSelectsBlobsNeverOrLongAgoChecked() throws IOException {
    List<Sha256> blobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      blobs.add(store.file("pypi", "u", "u-" + i + ".tar.gz", 100 + i, START).sha256());
    }
    store.meta.putBlobCheck(blobs.get(0), START.minus(Duration.ofDays(40)));
    store.meta.putBlobCheck(blobs.get(1), START.minus(Duration.ofDays(2)));
    store.meta.putBlobCheck(blobs.get(2), START.minus(Duration.ofHours(1)));

    VerifyReport report =
        verifier()
            .run(new VerifyOptions(1.0, Optional.of(Duration.ofDays(30))), ProgressListener.NONE);

    assertThat(report.checked()).isEqualTo(3); // 0 (40 days), 3 and 4 (never)
    assertThat(store.meta.getBlobCheck(blobs.get(0))).contains(START);
    assertThat(store.meta.getBlobCheck(blobs.get(1))).contains(START.minus(Duration.ofDays(2)));
    assertThat(store.meta.getBlobCheck(blobs.get(2))).contains(START.minus(Duration.ofHours(1)));
    assertThat(store.meta.getBlobCheck(blobs.get(3))).contains(START);
    assertThat(store.meta.getBlobCheck(blobs.get(4))).contains(START);
  }

  /** Blobs with a recorded check, as hex digests in digest order. */
  private Set<String> checked() {
    return checkedAfter(Instant.MIN);
  }

  private Set<String> checkedAfter(Instant after) {
    Set<String> result = new TreeSet<>();
    store.meta.forEachBlob(
        blob -> {
          Optional<Instant> check = store.meta.getBlobCheck(blob.sha256());
          if (check.isPresent() && check.get().isAfter(after)) {
            result.add(blob.sha256().hex());
          }
        });
    return result;
  }
}
