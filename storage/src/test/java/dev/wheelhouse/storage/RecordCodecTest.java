package dev.wheelhouse.storage;

import static dev.wheelhouse.storage.Records.file;
import static dev.wheelhouse.storage.Records.fullFile;
import static dev.wheelhouse.storage.Records.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

  @Test
  void fileWithEveryOptionalFieldRoundTrips() {
    FileRecord file = fullFile("local", "foo-bar", "foo_bar-2.0.post1-py3-none-any.whl");

    assertThat(roundTrip(file)).isEqualTo(file);
  }

  @Test
  void fileWithoutOptionalFieldsRoundTrips() {
    FileRecord file = file("local", "foo", "foo-1.0.tar.gz");

    assertThat(roundTrip(file)).isEqualTo(file);
  }

  @Test
  void yankedWithoutReasonStaysDistinctFromNotYanked() {
    FileRecord file = file("local", "foo", "foo-1.0.tar.gz");

    assertThat(roundTrip(file.withYanked(Optional.of(""))).yanked()).contains("");
    assertThat(roundTrip(file.withYanked(Optional.empty())).yanked()).isEmpty();
  }

  @Test
  void eachOptionalFieldRoundTripsAlone() {
    FileRecord base = file("i", "p", "p-1.whl");
    FileRecord[] variants = {
      new FileRecord(
          "i",
          "p",
          "p-1.whl",
          "1",
          base.sha256(),
          0,
          Instant.EPOCH,
          Optional.of(">=3.12"),
          Optional.empty(),
          Optional.empty(),
          java.util.Map.of()),
      base.withYanked(Optional.of("reason")),
      new FileRecord(
          "i",
          "p",
          "p-1.whl",
          "1",
          base.sha256(),
          0,
          Instant.EPOCH,
          Optional.empty(),
          Optional.empty(),
          Optional.of(sha("meta")),
          java.util.Map.of()),
      new FileRecord(
          "i",
          "p",
          "p-1.whl",
          "1",
          base.sha256(),
          0,
          Instant.EPOCH,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          java.util.Map.of("md5", "00"))
    };
    for (FileRecord variant : variants) {
      assertThat(roundTrip(variant)).isEqualTo(variant);
    }
  }

  @Test
  void equalRecordsEncodeToEqualBytes() {
    FileRecord file = fullFile("local", "foo", "foo-2.whl");
    FileRecord copy =
        new FileRecord(
            file.index(),
            file.project(),
            file.filename(),
            file.version(),
            file.sha256(),
            file.size(),
            file.uploadTime(),
            file.requiresPython(),
            file.yanked(),
            file.coreMetadata(),
            new java.util.TreeMap<>(file.extraHashes()).descendingMap());

    assertThat(RecordCodec.encodeFile(copy)).isEqualTo(RecordCodec.encodeFile(file));
  }

  @Test
  void projectAndBlobRoundTrip() {
    ProjectRecord project =
        new ProjectRecord("local", "foo-bar", "Foo_Bar", Instant.parse("2024-01-02T03:04:05Z"));
    BlobRecord blob = new BlobRecord(sha("x"), 42, Instant.parse("2024-01-02T03:04:05.5Z"));

    assertThat(RecordCodec.decodeProject("local", "foo-bar", RecordCodec.encodeProject(project)))
        .isEqualTo(project);
    assertThat(RecordCodec.decodeBlob(blob.sha256(), RecordCodec.encodeBlob(blob))).isEqualTo(blob);
  }

  @Test
  void firstByteIsTheEncodingVersion() {
    assertThat(RecordCodec.encodeFile(file("i", "p", "f"))[0])
        .isEqualTo((byte) RecordCodec.FILE_VERSION);
    assertThat(RecordCodec.encodeBlob(new BlobRecord(sha("x"), 1, Instant.EPOCH))[0])
        .isEqualTo((byte) RecordCodec.BLOB_VERSION);
  }

  @Test
  void unknownVersionIsRejectedClearly() {
    byte[] value = RecordCodec.encodeFile(file("local", "foo", "foo-1.whl"));
    value[0] = 2;

    assertThatThrownBy(() -> RecordCodec.decodeFile("local", "foo", "foo-1.whl", value))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("local/foo/foo-1.whl")
        .hasMessageContaining("encoding version 2")
        .hasMessageContaining("reads only version 1");
  }

  @Test
  void truncatedEmptyAndOverlongValuesAreRejected() {
    byte[] value = RecordCodec.encodeFile(fullFile("local", "foo", "foo-1.whl"));
    byte[] truncated = Arrays.copyOf(value, value.length - 3);
    byte[] overlong = Arrays.copyOf(value, value.length + 1);

    assertThatThrownBy(() -> RecordCodec.decodeFile("local", "foo", "foo-1.whl", truncated))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("corrupt");
    assertThatThrownBy(() -> RecordCodec.decodeFile("local", "foo", "foo-1.whl", overlong))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("trailing");
    assertThatThrownBy(() -> RecordCodec.decodeBlob(sha("x"), new byte[0]))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("empty");
  }

  private static FileRecord roundTrip(FileRecord file) {
    byte[] encoded = RecordCodec.encodeFile(file);
    return RecordCodec.decodeFile(file.index(), file.project(), file.filename(), encoded);
  }
}
