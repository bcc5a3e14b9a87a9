package dev.wheelhouse.storage;

import static dev.wheelhouse.storage.Records.FETCHED;
import static dev.wheelhouse.storage.Records.file;
import static dev.wheelhouse.storage.Records.fullFile;
import static dev.wheelhouse.storage.Records.sha;
import static dev.wheelhouse.storage.Records.upstreamNotFound;
import static dev.wheelhouse.storage.Records.upstreamPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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

  @Test
  void upstreamPageWithEveryFieldRoundTrips() {
    UpstreamPage page =
        new UpstreamPage(
            "pypi",
            "zope-interface",
            200,
            URI.create("https://mirror.example/simple/zope.interface/?format=html#top"),
            "text/html; charset=utf-8",
            "<a href=\"../../packages/zope.interface-6.0.tar.gz#sha256=00\">ü</a>"
                .getBytes(StandardCharsets.UTF_8),
            Optional.of("W/\"5f-abc\""),
            Optional.of("Tue, 07 May 2024 10:00:00 GMT"),
            Instant.parse("2024-05-07T10:00:01.000000001Z"));

    UpstreamPage decoded = roundTrip(page);

    assertThat(decoded).isEqualTo(page).hasSameHashCodeAs(page);
    assertThat(decoded.index()).isEqualTo("pypi");
    assertThat(decoded.project()).isEqualTo("zope-interface");
    assertThat(decoded.status()).isEqualTo(200);
    assertThat(decoded.url()).isEqualTo(page.url());
    assertThat(decoded.url().toString()).isEqualTo(page.url().toString());
    assertThat(decoded.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(decoded.body()).isEqualTo(page.body());
    assertThat(decoded.etag()).contains("W/\"5f-abc\"");
    assertThat(decoded.lastModified()).contains("Tue, 07 May 2024 10:00:00 GMT");
    assertThat(decoded.fetchedAt()).isEqualTo(page.fetchedAt());
  }

  @Test
  void upstreamNotFoundWithEmptyBodyAndNoValidatorsRoundTrips() {
    UpstreamPage page = upstreamNotFound("pypi", "no-such-thing");

    UpstreamPage decoded = roundTrip(page);

    assertThat(decoded).isEqualTo(page);
    assertThat(decoded.status()).isEqualTo(404);
    assertThat(decoded.body()).isEmpty();
    assertThat(decoded.etag()).isEmpty();
    assertThat(decoded.lastModified()).isEmpty();
  }

  @Test
  void eachUpstreamValidatorRoundTripsAlone() {
    UpstreamPage full = upstreamPage("pypi", "foo");
    UpstreamPage[] variants = {
      withValidators(full, full.etag(), Optional.empty()),
      withValidators(full, Optional.empty(), full.lastModified()),
      withValidators(full, Optional.of(""), Optional.empty()), // present but empty stays present
    };
    for (UpstreamPage variant : variants) {
      assertThat(roundTrip(variant)).isEqualTo(variant);
    }
  }

  @Test
  void twoMegabyteUpstreamBodyRoundTrips() {
    UpstreamPage small = upstreamPage("pypi", "torch");
    byte[] body = Records.bytes(2 * 1024 * 1024, 3);
    UpstreamPage page =
        new UpstreamPage(
            small.index(),
            small.project(),
            small.status(),
            small.url(),
            small.contentType(),
            body,
            small.etag(),
            small.lastModified(),
            small.fetchedAt());

    byte[] encoded = RecordCodec.encodeUpstreamPage(page);
    UpstreamPage decoded = RecordCodec.decodeUpstreamPage("pypi", "torch", encoded);

    assertThat(encoded.length).isBetween(body.length, body.length + 256);
    assertThat(decoded).isEqualTo(page);
    assertThat(Arrays.equals(decoded.body(), body)).isTrue();
  }

  @Test
  void upstreamPageVersionIsCheckedAndCorruptionRejected() {
    byte[] value = RecordCodec.encodeUpstreamPage(upstreamPage("pypi", "foo"));
    assertThat(value[0]).isEqualTo((byte) RecordCodec.UPSTREAM_PAGE_VERSION);
    byte[] newer = value.clone();
    newer[0] = 2;
    byte[] truncated = Arrays.copyOf(value, value.length - 5);

    assertThatThrownBy(() -> RecordCodec.decodeUpstreamPage("pypi", "foo", newer))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("upstream page pypi/foo")
        .hasMessageContaining("encoding version 2");
    assertThatThrownBy(() -> RecordCodec.decodeUpstreamPage("pypi", "foo", truncated))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void upstreamPageEqualityComparesBodyContents() {
    UpstreamPage page = upstreamPage("pypi", "foo");
    UpstreamPage sameBytes = withBody(page, page.body().clone());
    UpstreamPage otherBytes = withBody(page, "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(sameBytes).isEqualTo(page).hasSameHashCodeAs(page);
    assertThat(otherBytes).isNotEqualTo(page);
    assertThat(page.toString())
        .contains("pypi/foo", "200", page.body().length + " bytes", "etag=\"etag-pypi-foo\"")
        .doesNotContain("[B@");
    assertThatThrownBy(
            () ->
                new UpstreamPage(
                    "i", "p", 42, page.url(), "t", new byte[0], page.etag(), page.etag(), FETCHED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static UpstreamPage withValidators(
      UpstreamPage page, Optional<String> etag, Optional<String> lastModified) {
    return new UpstreamPage(
        page.index(),
        page.project(),
        page.status(),
        page.url(),
        page.contentType(),
        page.body(),
        etag,
        lastModified,
        page.fetchedAt());
  }

  private static UpstreamPage withBody(UpstreamPage page, byte[] body) {
    return new UpstreamPage(
        page.index(),
        page.project(),
        page.status(),
        page.url(),
        page.contentType(),
        body,
        page.etag(),
        page.lastModified(),
        page.fetchedAt());
  }

  private static UpstreamPage roundTrip(UpstreamPage page) {
    byte[] encoded = RecordCodec.encodeUpstreamPage(page);
    return RecordCodec.decodeUpstreamPage(page.index(), page.project(), encoded);
  }

  private static FileRecord roundTrip(FileRecord file) {
    byte[] encoded = RecordCodec.encodeFile(file);
    return RecordCodec.decodeFile(file.index(), file.project(), file.filename(), encoded);
  }
}
