package dev.wheelhouse.server.apt.index;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** The compressions a Debian repository serves its indexes in, told apart by file extension. */
public enum Compression {
  NONE(""),
  GZIP(".gz"),
  XZ(".xz"),
  BZIP2(".bz2"),
  LZMA(".lzma"),
  /** Zstandard, which some Ubuntu and third-party repositories use; not supported. */
  ZSTD(".zst");

  /**
   * The most memory the xz and lzma decoders may allocate. {@code xz -9} needs 65 MiB to decompress
   * and Debian uses {@code xz -6} (9 MiB); the cap keeps a hostile header from demanding more.
   */
  static final int MEMORY_LIMIT_KIB = 100 * 1024;

  private static final int BUFFER_SIZE = 64 * 1024;

  private final String extension;

  Compression(String extension) {
    this.extension = extension;
  }

  /** The file extension, with its dot; empty for {@link #NONE}. */
  public String extension() {
    return extension;
  }

  /**
   * The compression of the file at {@code path}, by its extension: {@code .gz}, {@code .xz}, {@code
   * .bz2}, {@code .lzma}, {@code .zst}, else {@link #NONE}. A {@code by-hash/} path has no
   * extension; its compression is that of the file the Release lists with that digest.
   */
  public static Compression ofPath(String path) {
    for (Compression compression : values()) {
      if (compression != NONE && path.endsWith(compression.extension)) {
        return compression;
      }
    }
    return NONE;
  }

  /**
   * Returns a stream of the decompressed bytes of {@code raw}; closing it closes {@code raw}.
   * Concatenated gzip members and xz and bzip2 streams are read as one, as apt reads them. Corrupt
   * input fails with the codec's {@link IOException}, possibly already here, as the header is read.
   *
   * @throws DebianFormatException for {@link #ZSTD}, which is not supported
   */
  public InputStream decompress(InputStream raw) throws IOException {
    if (this == NONE) {
      return raw;
    }
    if (this == ZSTD) {
      throw new DebianFormatException("zstd-compressed (.zst) indexes are not supported");
    }
    // The bzip2 and lzma decoders read a byte at a time: unbuffered, they run 4 to 7 times slower.
    InputStream in =
        raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, BUFFER_SIZE);
    return switch (this) {
      case GZIP ->
          GzipCompressorInputStream.builder()
              .setInputStream(in)
              .setDecompressConcatenated(true)
              .get();
      case XZ ->
          XZCompressorInputStream.builder()
              .setInputStream(in)
              .setDecompressConcatenated(true)
              .setMemoryLimitKiB(MEMORY_LIMIT_KIB)
              .get();
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
      case LZMA ->
          LZMACompressorInputStream.builder()
              .setInputStream(in)
              .setMemoryLimitKiB(MEMORY_LIMIT_KIB)
              .get();
      case NONE, ZSTD -> throw new AssertionError(this + " is handled above");
    };
  }
}
