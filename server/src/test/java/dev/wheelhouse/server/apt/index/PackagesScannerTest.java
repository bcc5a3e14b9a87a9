package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PackagesScannerTest {
  static final String SHA_HELLO =
      "b7d1ef3d6ddc3d4f29e1a4e3d8a0b4fe6c7b0d0d4e26f70f1f1d1f3c4b5a6978";
  static final String SHA_ZLIB = "0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b";

  /** Two packages, a paragraph without Filename, and apt's quirks: folded fields, case, spacing. */
  static final String PACKAGES =
      "Package: hello\n"
          + "Version: 2.10-3\n"
          + "Architecture: amd64\n"
          + "Depends: libc6 (>= 2.34)\n"
          + "Description: example package based on GNU hello\n"
          + " The GNU hello program produces a familiar, friendly greeting.\n"
          + " .\n"
          + " Filename: this continuation line is not a field\n"
          + "Filename: pool/main/h/hello/hello_2.10-3_amd64.deb\n"
          + "Size: 53252\n"
          + "MD5sum: 0ed6d4c8891eb86358b94bb35d9e4da4\n"
          + "SHA256: "
          + SHA_HELLO
          + "\n"
          + "\n"
          + "\n"
          + "Package: installed-only\n"
          + "Status: install ok installed\n"
          + "\n"
          + "Package: zlib1g\n"
          + "filename:   pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb   \n"
          + "SIZE: 88000\n"
          + "Sha256: "
          + SHA_ZLIB.toUpperCase(Locale.ROOT)
          + "\n"
          + " \t \n"
          + "Package: no-digest\n"
          + "Filename: pool/main/n/no-digest/no-digest_1_all.deb\n"
          + "Size: 0";

  static final List<PoolFile> EXPECTED =
      List.of(
          new PoolFile("pool/main/h/hello/hello_2.10-3_amd64.deb", 53252, Optional.of(SHA_HELLO)),
          new PoolFile(
              "pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb", 88000, Optional.of(SHA_ZLIB)),
          new PoolFile("pool/main/n/no-digest/no-digest_1_all.deb", 0, Optional.empty()));

  static List<PoolFile> scan(String text) throws IOException {
    return scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  static List<PoolFile> scan(InputStream in) throws IOException {
    List<PoolFile> files = new ArrayList<>();
    PackagesScanner.scan(in, files::add);
    return files;
  }

  @Test
  void readsFilenameSizeAndSha256OfEachPackage() throws IOException {
    assertThat(scan(PACKAGES)).isEqualTo(EXPECTED);
  }

  @Test
  void crlfLineEndingsReadTheSame() throws IOException {
    assertThat(scan(PACKAGES.replace("\n", "\r\n"))).isEqualTo(EXPECTED);
  }

  @Test
  void aFinalBlankLineChangesNothing() throws IOException {
    assertThat(scan(PACKAGES + "\n\n")).isEqualTo(EXPECTED);
  }

  @Test
  void aFlatRepositorysFilenameIsKeptAsGiven() throws IOException {
    assertThat(scan("Package: hello\nFilename: ./hello_1.0_all.deb\nSize: 10\n"))
        .containsExactly(new PoolFile("./hello_1.0_all.deb", 10, Optional.empty()));
  }

  @Test
  void anIndexWithoutFilenamesListsNothing() throws IOException {
    assertThat(scan("")).isEmpty();
    assertThat(scan("\n\n")).isEmpty();
    assertThat(scan("Package: a\nStatus: install ok installed\n")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"NONE", "GZIP", "XZ", "BZIP2", "LZMA"})
  void scansCompressedIndexesThroughCompression(Compression compression) throws IOException {
    byte[] compressed =
        CompressionTest.compress(compression, PACKAGES.getBytes(StandardCharsets.UTF_8));

    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
      assertThat(scan(in)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void handsOverEachFileBeforeReadingTheRest() throws IOException {
    int paragraphs = 200_000;
    GeneratedIndex index = new GeneratedIndex(paragraphs);
    List<Long> readWhenFirstSeen = new ArrayList<>();
    long[] count = {0};

    PackagesScanner.scan(
        index,
        file -> {
          if (count[0]++ == 0) {
            readWhenFirstSeen.add(index.produced);
          }
        });

    assertThat(count[0]).isEqualTo(paragraphs);
    // The index is about 25 MB; the scanner had read at most a buffer of it at the first file.
    assertThat(index.produced).isGreaterThan(20_000_000L);
    assertThat(readWhenFirstSeen)
        .singleElement()
        .satisfies(read -> assertThat(read).isLessThan(1 << 20));
  }

  @Test
  void aLineLongerThanTheLimitIsRefused() {
    String huge = "Package: x\nDepends: " + "a, ".repeat(LineReader.MAX_LINE_BYTES / 3 + 1) + "\n";

    assertThatThrownBy(() -> scan(huge))
        .isInstanceOf(DebianFormatException.class)
        .hasMessageContaining("line 2: line longer than " + LineReader.MAX_LINE_BYTES + " bytes");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "no Size",
            "Package: a\nFilename: pool/a.deb\nSHA256: " + SHA_HELLO + "\n",
            "line 2: Filename 'pool/a.deb' has no Size in its paragraph, which starts at line 1"),
        Arguments.of(
            "no Size in the second paragraph",
            "Filename: pool/a.deb\nSize: 1\n\nPackage: b\nFilename: pool/b.deb\n",
            "line 5: Filename 'pool/b.deb' has no Size in its paragraph, which starts at line 4"),
        Arguments.of(
            "Size not a number",
            "Filename: pool/a.deb\nSize: 12 kB\n",
            "line 2: Size of 'pool/a.deb' is not a number of bytes: '12 kB'"),
        Arguments.of(
            "Size negative", "Filename: pool/a.deb\nSize: -5\n", "line 2: Size of 'pool/a.deb'"),
        Arguments.of("Size empty", "Filename: pool/a.deb\nSize:\n", "line 2: Size of 'pool/a.deb'"),
        Arguments.of(
            "Size too big",
            "Filename: pool/a.deb\nSize: 99999999999999999999\n",
            "line 2: Size of 'pool/a.deb'"),
        Arguments.of(
            "SHA256 too short",
            "Filename: pool/a.deb\nSize: 1\nSHA256: abc\n",
            "line 3: SHA256 of 'pool/a.deb' is not 64 hex digits: 'abc'"),
        Arguments.of(
            "Filename leaves the repository",
            "Filename: pool/../../etc/shadow\nSize: 1\n",
            "line 1: Filename 'pool/../../etc/shadow' is not a path inside the repository"),
        Arguments.of(
            "Filename absolute",
            "Filename: /etc/shadow\nSize: 1\n",
            "line 1: Filename '/etc/shadow' is not a path"),
        Arguments.of("Filename empty", "Filename:\nSize: 1\n", "line 1: Filename '' is not a path"),
        Arguments.of(
            "Filename twice",
            "Filename: pool/a.deb\nSize: 1\nFilename: pool/b.deb\n",
            "line 3: field 'Filename' appears twice in the paragraph starting at line 1"),
        Arguments.of(
            "continuation outside a paragraph",
            "Filename: pool/a.deb\nSize: 1\n\n more\n",
            "line 4: continuation line outside a field: ' more'"),
        Arguments.of(
            "not a field",
            "Filename: pool/a.deb\nSize: 1\nthis is not deb822\n",
            "line 3: expected 'Field: value', got 'this is not deb822'"),
        Arguments.of(
            "control characters are quoted",
            "Filename: pool/a.deb\nSize: 1\n\u001b[31mred\n",
            "line 3: expected 'Field: value', got '\\u001b[31mred'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void malformed(String name, String text, String message) {
    assertThatThrownBy(() -> scan(text))
        .isInstanceOf(DebianFormatException.class)
        .hasMessageContaining(message);
  }

  /** A Packages index made on the fly as it is read, counting the bytes handed out so far. */
  static final class GeneratedIndex extends InputStream {
    final int paragraphs;
    int next;
    byte[] current = new byte[0];
    int position;
    long produced;

    GeneratedIndex(int paragraphs) {
      this.paragraphs = paragraphs;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position == current.length) {
        if (next == paragraphs) {
          return -1;
        }
        current =
            ("Package: p"
                    + next
                    + "\nDescription: generated\n a long description line to make the index big\n"
                    + "Filename: pool/main/p/p"
                    + next
                    + "/p"
                    + next
                    + "_1.0_amd64.deb\nSize: "
                    + next
                    + "\nSHA256: "
                    + SHA_HELLO
                    + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
        position = 0;
        next++;
      }
      int count = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, count);
      position += count;
      produced += count;
      return count;
    }
  }
}
