package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {
  /** Enough text that every codec needs more than one block or buffer for it. */
  static final byte[] TEXT = sampleText();

  static byte[] sampleText() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("Package: hello")
          .append(i)
          .append("\nFilename: pool/main/h/hello/hello_")
          .append(i)
          .append("_amd64.deb\nSize: ")
          .append(i * 7)
          .append("\n\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource({
    "main/binary-amd64/Packages, NONE",
    "main/binary-amd64/Packages.gz, GZIP",
    "main/binary-amd64/Packages.xz, XZ",
    "main/binary-amd64/Packages.bz2, BZIP2",
    "main/binary-amd64/Packages.lzma, LZMA",
    "main/binary-amd64/Packages.zst, ZSTD",
    "main/i18n/Translation-en.bz2, BZIP2",
    "main/Contents-amd64.gz, GZIP",
    "main/binary-amd64/Packages.diff/Index, NONE",
    "main/binary-amd64/by-hash/SHA256/9e0b5aabb2465b3d2e7a7fe27f9913846277833f7a2826e7767acccff5b588c5, NONE",
    "main/source/Sources.GZ, NONE",
    "Packages.gz, GZIP",
    "main/binary-amd64/Packages.lz4, NONE",
  })
  void ofPathGoesByExtension(String path, Compression expected) {
    assertThat(Compression.ofPath(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(names = {"NONE", "GZIP", "XZ", "BZIP2", "LZMA"})
  void decompressReadsWhatTheCodecWrote(Compression compression) throws IOException {
    byte[] compressed = compress(compression, TEXT);
    if (compression != Compression.NONE) {
      assertThat(compressed.length).isLessThan(TEXT.length / 4);
    }

    assertThat(decompress(compression, compressed)).isEqualTo(TEXT);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "XZ", "BZIP2"})
  void concatenatedStreamsReadAsOne(Compression compression) throws IOException {
    byte[] first = "Package: a\n\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(compress(compression, first));
    both.write(compress(compression, TEXT));

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(first);
    expected.write(TEXT);
    assertThat(decompress(compression, both.toByteArray())).isEqualTo(expected.toByteArray());
  }

  @Test
  void zstdIsRefusedAsUnsupported() {
    assertThatThrownBy(() -> Compression.ZSTD.decompress(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(DebianFormatException.class)
        .hasMessageContaining("zstd")
        .hasMessageContaining("not supported");
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "XZ", "BZIP2"})
  void corruptInputFails(Compression compression) throws IOException {
    byte[] compressed = compress(compression, TEXT);
    compressed[compressed.length / 2] ^= 0x55;
    compressed[compressed.length / 2 + 1] ^= 0x55;

    assertThatThrownBy(() -> decompress(compression, compressed)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "XZ", "BZIP2"})
  void plainTextIsNotCompressed(Compression compression) {
    assertThatThrownBy(() -> decompress(compression, TEXT)).isInstanceOf(IOException.class);
  }

  static byte[] decompress(Compression compression, byte[] compressed) throws IOException {
    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  static byte[] compress(Compression compression, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = compressor(compression, bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static OutputStream compressor(Compression compression, OutputStream out) throws IOException {
    return switch (compression) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out);
      case XZ -> XZCompressorOutputStream.builder().setOutputStream(out).get();
      case BZIP2 -> new BZip2CompressorOutputStream(out);
      case LZMA -> LZMACompressorOutputStream.builder().setOutputStream(out).get();
      case ZSTD -> throw new IllegalArgumentException("no zstd encoder in the tests");
    };
  }
}
