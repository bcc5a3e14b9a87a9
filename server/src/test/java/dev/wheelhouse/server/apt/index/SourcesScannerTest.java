package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SourcesScannerTest {
  static final String SHA_DSC = "5c1b0e3cd0f5d1b3e0e6c3a5b79c3f7f2f4de8a1a3b0c3d5e7f9a1b3c5d7e9f1";
  static final String SHA_ORIG = "31e066137a962676e89f69d1b65382de95a7ef7d914b8cb956f41ea72e0f516b";
  static final String SHA_DEBIAN =
      "4f0a4e2b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f";
  static final String MD5 = "0ed6d4c8891eb86358b94bb35d9e4da4";

  /** Two source packages as Debian writes them, one with a file only Files lists. */
  static final String SOURCES =
      "Package: hello\n"
          + "Binary: hello\n"
          + "Version: 2.10-3\n"
          + "Maintainer: Hello Maintainers <hello@example.org>\n"
          + "Build-Depends: debhelper-compat (= 13)\n"
          + "Architecture: any\n"
          + "Format: 3.0 (quilt)\n"
          + "Files:\n"
          + " "
          + MD5
          + " 1183 hello_2.10-3.dsc\n"
          + " "
          + MD5
          + " 725946 hello_2.10.orig.tar.gz\n"
          + " "
          + MD5
          + " 12688 hello_2.10-3.debian.tar.xz\n"
          + "Checksums-Sha256:\n"
          + " "
          + SHA_DSC
          + " 1183 hello_2.10-3.dsc\n"
          + " "
          + SHA_ORIG
          + " 725946 hello_2.10.orig.tar.gz\n"
          + "Homepage: https://www.gnu.org/software/hello/\n"
          + "Package-List:\n"
          + " hello deb devel optional arch=any\n"
          + "Directory: pool/main/h/hello\n"
          + "Priority: source\n"
          + "Section: devel\n"
          + "\n"
          + "Package: flat\n"
          + "Directory: .\n"
          + "Checksums-Sha256:\n"
          + " "
          + SHA_DEBIAN
          + " 10 flat_1.dsc\n";

  /** The first paragraph is Debian's layout; the second is a flat repository's. */
  static final List<PoolFile> EXPECTED =
      List.of(
          new PoolFile("pool/main/h/hello/hello_2.10-3.dsc", 1183, Optional.of(SHA_DSC)),
          new PoolFile("pool/main/h/hello/hello_2.10.orig.tar.gz", 725946, Optional.of(SHA_ORIG)),
          new PoolFile("pool/main/h/hello/hello_2.10-3.debian.tar.xz", 12688, Optional.empty()),
          new PoolFile("./flat_1.dsc", 10, Optional.of(SHA_DEBIAN)));

  static List<PoolFile> scan(String text) throws IOException {
    List<PoolFile> files = new ArrayList<>();
    SourcesScanner.scan(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), files::add);
    return files;
  }

  @Test
  void joinsDirectoryWithEachListedFile() throws IOException {
    assertThat(scan(SOURCES)).isEqualTo(EXPECTED);
  }

  @Test
  void crlfAndTrailingWhitespaceReadTheSame() throws IOException {
    assertThat(scan(SOURCES.replace("\n", " \t\r\n"))).isEqualTo(EXPECTED);
  }

  @Test
  void paragraphsWithoutFilesAreSkipped() throws IOException {
    assertThat(scan("Package: a\nVersion: 1\n\n\nPackage: b\nDirectory: pool/b\n")).isEmpty();
  }

  @Test
  void scansAnXzIndex() throws IOException {
    byte[] xz = CompressionTest.compress(Compression.XZ, SOURCES.getBytes(StandardCharsets.UTF_8));
    List<PoolFile> files = new ArrayList<>();

    try (InputStream in =
        Compression.ofPath("main/source/Sources.xz").decompress(new ByteArrayInputStream(xz))) {
      SourcesScanner.scan(in, files::add);
    }

    assertThat(files).isEqualTo(EXPECTED);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "no Directory",
            "Package: a\nChecksums-Sha256:\n " + SHA_DSC + " 1 a.dsc\n",
            "line 1: source paragraph lists files but has no Directory"),
        Arguments.of(
            "Directory leaves the repository",
            "Directory: ../..\nFiles:\n " + MD5 + " 1 a.dsc\n",
            "line 1: Directory '../..' is not a path inside the repository"),
        Arguments.of(
            "file name with a slash",
            "Directory: pool/a\nChecksums-Sha256:\n " + SHA_DSC + " 1 ../a.dsc\n",
            "line 3: Checksums-Sha256 lists '../a.dsc', which is not a plain file name"),
        Arguments.of(
            "sizes disagree",
            "Directory: pool/a\nChecksums-Sha256:\n "
                + SHA_DSC
                + " 1 a.dsc\nFiles:\n "
                + MD5
                + " 2 a.dsc\n",
            "line 5: Files gives 'a.dsc' size 2, but Checksums-Sha256 gives size 1"),
        Arguments.of(
            "listed twice",
            "Directory: pool/a\nChecksums-Sha256:\n "
                + SHA_DSC
                + " 1 a.dsc\n "
                + SHA_ORIG
                + " 1 a.dsc\n",
            "line 4: Checksums-Sha256 lists 'a.dsc' twice"),
        Arguments.of(
            "md5 in the sha256 field",
            "Directory: pool/a\nChecksums-Sha256:\n " + MD5 + " 1 a.dsc\n",
            "line 3: Checksums-Sha256 digest should be 64 hex digits"),
        Arguments.of(
            "missing size",
            "Directory: pool/a\nFiles:\n " + MD5 + " a.dsc\n",
            "line 3: Files line should be '<hex> <size> <name>'"),
        Arguments.of(
            "size not a number",
            "Directory: pool/a\nFiles:\n " + MD5 + " 1k a.dsc\n",
            "line 3: Files size is not a number of bytes: '1k'"),
        Arguments.of(
            "blank line inside a field",
            "Directory: pool/a\nFiles:\n\n " + MD5 + " 1 a.dsc\n",
            "line 4: continuation line outside a field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void malformed(String name, String text, String message) {
    assertThatThrownBy(() -> scan(text))
        .isInstanceOf(DebianFormatException.class)
        .hasMessageContaining(message);
  }
}
