package dev.wheelhouse.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Binary encoding of metadata values. The first byte is the encoding version; a reader rejects
 * versions it does not know rather than misreading them. Fields are written in a fixed order,
 * optional ones behind a presence flag, strings as a varint length plus UTF-8. Key fields (index,
 * project, filename, sha256 of a blob) are not repeated in values.
 *
 * <p>To change a layout: add a new version, keep decoding the old ones.
 */
final class RecordCodec {
  static final int FILE_VERSION = 1;
  static final int PROJECT_VERSION = 1;
  static final int BLOB_VERSION = 1;
  static final int UPSTREAM_PAGE_VERSION = 1;
  static final int APT_FILE_VERSION = 1;
  static final int APT_EXPECTED_VERSION = 1;
  static final int ACCESS_VERSION = 1;
  static final int INSTANT_VERSION = 1;
  static final int PROVENANCE_VERSION = 1;
  static final int MISS_VERSION = 1;

  private RecordCodec() {}

  static byte[] encodeFile(FileRecord file) {
    return encode(
        FILE_VERSION,
        out -> {
          writeString(out, file.version());
          out.write(file.sha256().bytes());
          out.writeLong(file.size());
          writeInstant(out, file.uploadTime());
          writeOptionalString(out, file.requiresPython());
          writeOptionalString(out, file.yanked());
          out.writeBoolean(file.coreMetadata().isPresent());
          if (file.coreMetadata().isPresent()) {
            out.write(file.coreMetadata().get().bytes());
          }
          // Sorted, so that equal records always encode to equal bytes.
          Map<String, String> hashes = new TreeMap<>(file.extraHashes());
          writeVarint(out, hashes.size());
          for (Map.Entry<String, String> hash : hashes.entrySet()) {
            writeString(out, hash.getKey());
            writeString(out, hash.getValue());
          }
        });
  }

  static FileRecord decodeFile(String index, String project, String filename, byte[] value) {
    return decode(
        "file " + index + "/" + project + "/" + filename,
        FILE_VERSION,
        value,
        in -> {
          String version = readString(in);
          Sha256 sha256 = readSha(in);
          long size = in.readLong();
          Instant uploadTime = readInstant(in);
          Optional<String> requiresPython = readOptionalString(in);
          Optional<String> yanked = readOptionalString(in);
          Optional<Sha256> coreMetadata =
              in.readBoolean() ? Optional.of(readSha(in)) : Optional.empty();
          int hashCount = readVarint(in);
          Map<String, String> extraHashes = new LinkedHashMap<>();
          for (int i = 0; i < hashCount; i++) {
            extraHashes.put(readString(in), readString(in));
          }
          return new FileRecord(
              index,
              project,
              filename,
              version,
              sha256,
              size,
              uploadTime,
              requiresPython,
              yanked,
              coreMetadata,
              extraHashes);
        });
  }

  static byte[] encodeProject(ProjectRecord project) {
    return encode(
        PROJECT_VERSION,
        out -> {
          writeString(out, project.displayName());
          writeInstant(out, project.lastChanged());
        });
  }

  static ProjectRecord decodeProject(String index, String project, byte[] value) {
    return decode(
        "project " + index + "/" + project,
        PROJECT_VERSION,
        value,
        in -> new ProjectRecord(index, project, readString(in), readInstant(in)));
  }

  static byte[] encodeBlob(BlobRecord blob) {
    return encode(
        BLOB_VERSION,
        out -> {
          out.writeLong(blob.size());
          writeInstant(out, blob.created());
        });
  }

  static BlobRecord decodeBlob(Sha256 sha256, byte[] value) {
    return decode(
        "blob " + sha256,
        BLOB_VERSION,
        value,
        in -> {
          long size = in.readLong();
          return new BlobRecord(sha256, size, readInstant(in));
        });
  }

  static byte[] encodeUpstreamPage(UpstreamPage page) {
    return encode(
        UPSTREAM_PAGE_VERSION,
        page.body().length + 256, // one allocation for megabyte bodies
        out -> {
          writeVarint(out, page.status());
          writeString(out, page.url().toString());
          writeString(out, page.contentType());
          writeBytes(out, page.body());
          writeOptionalString(out, page.etag());
          writeOptionalString(out, page.lastModified());
          writeInstant(out, page.fetchedAt());
        });
  }

  static UpstreamPage decodeUpstreamPage(String index, String project, byte[] value) {
    return decode(
        "upstream page " + index + "/" + project,
        UPSTREAM_PAGE_VERSION,
        value,
        in -> {
          int status = readVarint(in);
          URI url = URI.create(readString(in)); // IllegalArgumentException: reported as corrupt
          String contentType = readString(in);
          byte[] body = readBytes(in);
          Optional<String> etag = readOptionalString(in);
          Optional<String> lastModified = readOptionalString(in);
          return new UpstreamPage(
              index, project, status, url, contentType, body, etag, lastModified, readInstant(in));
        });
  }

  static byte[] encodeAptFile(AptFileRecord file) {
    return encode(
        APT_FILE_VERSION,
        out -> {
          out.write(file.sha256().bytes());
          out.writeLong(file.size());
          writeInstant(out, file.fetchedAt());
          writeInstant(out, file.validatedAt());
          writeOptionalString(out, file.etag());
          writeOptionalString(out, file.lastModified());
        });
  }

  static AptFileRecord decodeAptFile(String mirror, String path, byte[] value) {
    return decode(
        "apt file " + mirror + "/" + path,
        APT_FILE_VERSION,
        value,
        in -> {
          Sha256 sha256 = readSha(in);
          long size = in.readLong();
          Instant fetchedAt = readInstant(in);
          Instant validatedAt = readInstant(in);
          Optional<String> etag = readOptionalString(in);
          return new AptFileRecord(
              mirror, path, sha256, size, fetchedAt, validatedAt, etag, readOptionalString(in));
        });
  }

  static byte[] encodeAptExpected(AptExpectedFile file) {
    return encode(
        APT_EXPECTED_VERSION,
        out -> {
          out.write(file.sha256().bytes());
          out.writeLong(file.size());
        });
  }

  static AptExpectedFile decodeAptExpected(String mirror, String path, byte[] value) {
    return decode(
        "apt expected file " + mirror + "/" + path,
        APT_EXPECTED_VERSION,
        value,
        in -> new AptExpectedFile(mirror, path, readSha(in), in.readLong()));
  }

  static byte[] encodeAccess(AccessCounts counts) {
    return encode(
        ACCESS_VERSION,
        out -> {
          writeInstant(out, counts.last());
          out.writeLong(counts.hits());
        });
  }

  static AccessCounts decodeAccess(String what, byte[] value) {
    return decode(
        "access of " + what,
        ACCESS_VERSION,
        value,
        in -> new AccessCounts(readInstant(in), in.readLong()));
  }

  static byte[] encodeInstant(Instant instant) {
    return encode(INSTANT_VERSION, out -> writeInstant(out, instant));
  }

  static Instant decodeInstant(String what, byte[] value) {
    return decode(what, INSTANT_VERSION, value, RecordCodec::readInstant);
  }

  static byte[] encodeProvenance(Provenance provenance) {
    return encode(
        PROVENANCE_VERSION,
        provenance.json().length() + 64,
        out -> {
          writeString(out, provenance.json());
          out.writeBoolean(provenance.buildLog().isPresent());
          if (provenance.buildLog().isPresent()) {
            out.write(provenance.buildLog().get().bytes());
          }
        });
  }

  static Provenance decodeProvenance(String what, byte[] value) {
    return decode(
        "provenance of " + what,
        PROVENANCE_VERSION,
        value,
        in -> {
          String json = readString(in);
          return new Provenance(
              json, in.readBoolean() ? Optional.of(readSha(in)) : Optional.empty());
        });
  }

  static byte[] encodeMiss(PlatformMiss miss) {
    return encode(
        MISS_VERSION,
        out -> {
          writeString(out, miss.platform());
          writeString(out, miss.python());
          writeString(out, miss.libc());
          out.writeLong(miss.count());
          writeInstant(out, miss.firstSeen());
          writeInstant(out, miss.lastSeen());
          writeOptionalString(out, miss.version());
        });
  }

  static PlatformMiss decodeMiss(String index, String project, byte[] value) {
    return decode(
        "platform miss " + index + "/" + project,
        MISS_VERSION,
        value,
        in -> {
          String platform = readString(in);
          String python = readString(in);
          String libc = readString(in);
          long count = in.readLong();
          Instant firstSeen = readInstant(in);
          Instant lastSeen = readInstant(in);
          return new PlatformMiss(
              index,
              project,
              platform,
              python,
              libc,
              count,
              firstSeen,
              lastSeen,
              readOptionalString(in));
        });
  }

  private interface Encoder {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Decoder<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] encode(int version, Encoder encoder) {
    return encode(version, 64, encoder);
  }

  private static byte[] encode(int version, int sizeHint, Encoder encoder) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(version);
      encoder.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory stream failed", e); // cannot happen
    }
    return bytes.toByteArray();
  }

  private static <T> T decode(String what, int supported, byte[] value, Decoder<T> decoder) {
    if (value.length == 0) {
      throw new RecordFormatException("corrupt " + what + ": empty value");
    }
    int version = value[0] & 0xff;
    if (version != supported) {
      throw new RecordFormatException(
          what
              + " has encoding version "
              + version
              + " but this build reads only version "
              + supported
              + " (was the store written by a newer wheelhouse?)");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1))) {
      T record = decoder.read(in);
      if (in.available() > 0) {
        throw new RecordFormatException(
            "corrupt " + what + ": " + in.available() + " unexpected trailing bytes");
      }
      return record;
    } catch (IOException | IllegalArgumentException | DateTimeException e) {
      throw new RecordFormatException("corrupt " + what + ": " + e, e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(out, utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = readVarint(in);
    if (length > in.available()) {
      throw new IOException("string of " + length + " bytes overruns the value");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    writeVarint(out, bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = readVarint(in);
    if (length > in.available()) {
      throw new IOException("byte string of " + length + " bytes overruns the value");
    }
    return in.readNBytes(length);
  }

  private static void writeOptionalString(DataOutputStream out, Optional<String> s)
      throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      writeString(out, s.get());
    }
  }

  private static Optional<String> readOptionalString(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
  }

  private static Sha256 readSha(DataInputStream in) throws IOException {
    byte[] raw = new byte[Sha256.BYTES];
    in.readFully(raw);
    return Sha256.fromBytes(raw);
  }

  private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    long seconds = in.readLong();
    return Instant.ofEpochSecond(seconds, in.readInt());
  }

  /** Unsigned LEB128: lengths and counts are almost always one byte. */
  private static void writeVarint(DataOutputStream out, int value) throws IOException {
    if (value < 0) {
      throw new IllegalArgumentException("negative length: " + value);
    }
    int v = value;
    while ((v & ~0x7f) != 0) {
      out.writeByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  private static int readVarint(DataInputStream in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0) {
          throw new IOException("varint out of range");
        }
        return value;
      }
    }
    throw new IOException("varint longer than 5 bytes");
  }
}
