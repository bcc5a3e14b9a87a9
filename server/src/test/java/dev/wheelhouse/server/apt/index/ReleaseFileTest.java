package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.server.apt.index.ReleaseFile.ReleaseEntry;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseFileTest {
  static final String MD5_CONTENTS = "0ed6d4c8891eb86358b94bb35d9e4da4";
  static final String MD5_PACKAGES = "f230d61720e789abf5df55d6026230c6";
  static final String MD5_PACKAGES_XZ = "b838d31986207780a596ce3e8010f90f";
  static final String SHA_CONTENTS =
      "3c6f5eb8c8ba2a2e1bc0d2ec1f0ef95a24b51a0ef2c6e2b4c21bd2e8b4a3f2d1";
  static final String SHA_PACKAGES =
      "515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f";
  static final String SHA_PACKAGES_XZ =
      "9e0b5aabb2465b3d2e7a7fe27f9913846277833f7a2826e7767acccff5b588c5";
  static final String SHA_EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /** A Release in Debian's layout: sizes right-aligned, hex in MD5Sum partly upper case. */
  static final String RELEASE =
      "Origin: Debian\n"
          + "Label: Debian\n"
          + "Suite:   stable  \n"
          + "Codename: bookworm\n"
          + "Date: Sat, 11 Jul 2026 10:16:37 UTC\n"
          + "Acquire-By-Hash: yes\n"
          + "Architectures: all amd64 arm64\n"
          + "Components: main contrib\n"
          + "Description: Debian 12.15\n"
          + " Released 11 July 2026\n"
          + "MD5Sum:\n"
          + " "
          + MD5_CONTENTS
          + "  1484322 contrib/Contents-all\n"
          + " "
          + MD5_PACKAGES
          + " 50060337 main/binary-amd64/Packages\n"
          + " "
          + MD5_PACKAGES_XZ.toUpperCase(Locale.ROOT)
          + "  8790396 main/binary-amd64/Packages.xz\n"
          + "SHA256:\n"
          + " "
          + SHA_PACKAGES
          + " 50060337 main/binary-amd64/Packages\n"
          + " "
          + SHA_PACKAGES_XZ
          + "  8790396 main/binary-amd64/Packages.xz\n"
          + " "
          + SHA_EMPTY
          + "        0 main/binary-arm64/Packages\n"
          + " "
          + SHA_EMPTY
          + "        0 contrib/binary-arm64/Packages\n";

  static ReleaseFile parse(String text) throws DebianFormatException {
    return ReleaseFile.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  static String clearSign(String text, String lineEnd) {
    StringBuilder out = new StringBuilder();
    out.append("-----BEGIN PGP SIGNED MESSAGE-----").append(lineEnd);
    out.append("Hash: SHA256").append(lineEnd).append(lineEnd);
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      // gpg may dash-escape any line, not only those that start with a dash.
      out.append(line.startsWith("Origin") ? "- " + line : line).append(lineEnd);
    }
    out.append("-----BEGIN PGP SIGNATURE-----").append(lineEnd).append(lineEnd);
    out.append("iQIzBAEBCAAdFiEETLUBkCB7R1ij9zp5btDnuCZD4TEFAmpSGCcACgkQbtDnuCZD").append(lineEnd);
    out.append("=AfjX").append(lineEnd);
    out.append("-----END PGP SIGNATURE-----").append(lineEnd);
    return out.toString();
  }

  @Test
  void fieldsAreCaseInsensitiveAndTrimmed() throws Exception {
    ReleaseFile release = parse(RELEASE);

    assertThat(release.field("Origin")).contains("Debian");
    assertThat(release.field("CODENAME")).contains("bookworm");
    assertThat(release.field("suite")).contains("stable");
    assertThat(release.field("Description")).contains("Debian 12.15");
    assertThat(release.field("SHA256")).contains("");
    assertThat(release.field("Valid-Until")).isEmpty();
  }

  @Test
  void entriesMergeTheChecksumFields() throws Exception {
    ReleaseFile release = parse(RELEASE);

    assertThat(release.entries())
        .extracting(ReleaseEntry::path)
        .containsExactly(
            "contrib/Contents-all",
            "main/binary-amd64/Packages",
            "main/binary-amd64/Packages.xz",
            "main/binary-arm64/Packages",
            "contrib/binary-arm64/Packages");
    assertThat(release.entry("main/binary-amd64/Packages.xz"))
        .contains(
            new ReleaseEntry(
                "main/binary-amd64/Packages.xz",
                8790396,
                Map.of("MD5Sum", MD5_PACKAGES_XZ, "SHA256", SHA_PACKAGES_XZ)));
    assertThat(release.entry("main/binary-amd64/Packages.xz").flatMap(ReleaseEntry::sha256))
        .contains(SHA_PACKAGES_XZ);
    assertThat(release.entry("contrib/Contents-all").orElseThrow().hashes())
        .containsOnlyKeys("MD5Sum");
    assertThat(release.entry("contrib/Contents-all").flatMap(ReleaseEntry::sha256)).isEmpty();
    assertThat(release.entry("main/binary-arm64/Packages").orElseThrow().size()).isZero();
    assertThat(release.entry("main/binary-amd64/Packages.gz")).isEmpty();
    assertThat(release.entry("/main/binary-amd64/Packages.xz")).isEmpty();
  }

  @Test
  void byHashFindsTheEntryByAlgorithmAndDigest() throws Exception {
    ReleaseFile release = parse(RELEASE);

    assertThat(release.byHash("SHA256", SHA_PACKAGES_XZ))
        .map(ReleaseEntry::path)
        .contains("main/binary-amd64/Packages.xz");
    assertThat(release.byHash("SHA256", SHA_PACKAGES_XZ.toUpperCase(Locale.ROOT)))
        .map(ReleaseEntry::path)
        .contains("main/binary-amd64/Packages.xz");
    assertThat(release.byHash("MD5Sum", MD5_PACKAGES_XZ))
        .map(ReleaseEntry::path)
        .contains("main/binary-amd64/Packages.xz");
    assertThat(release.byHash("MD5Sum", MD5_CONTENTS))
        .map(ReleaseEntry::path)
        .contains("contrib/Contents-all");
    // Equal content, equal digest: the first listed file answers for both.
    assertThat(release.byHash("SHA256", SHA_EMPTY))
        .map(ReleaseEntry::path)
        .contains("main/binary-arm64/Packages");
    assertThat(release.byHash("sha256", SHA_PACKAGES_XZ)).isEmpty();
    assertThat(release.byHash("SHA512", SHA_PACKAGES_XZ)).isEmpty();
    assertThat(release.byHash("SHA256", SHA_CONTENTS)).isEmpty();
    assertThat(release.byHash("MD5", MD5_CONTENTS)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "'Acquire-By-Hash: yes', true",
    "'Acquire-By-Hash: Yes ', true",
    "'Acquire-By-Hash: no', false",
    "'Acquire-By-Hash:', false",
    "'Origin: Ubuntu', false",
  })
  void acquireByHash(String line, boolean expected) throws Exception {
    assertThat(parse("Suite: stable\n" + line + "\n").acquireByHash()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void clearSignedInReleaseReadsLikeItsRelease(String lineEnd) throws Exception {
    ReleaseFile plain = parse(RELEASE);
    ReleaseFile signed = parse(clearSign(RELEASE, lineEnd));

    assertThat(signed.entries()).isEqualTo(plain.entries());
    assertThat(signed.field("Origin")).contains("Debian");
    assertThat(signed.field("Description")).contains("Debian 12.15");
    assertThat(signed.acquireByHash()).isTrue();
  }

  @Test
  void anEntryOnTheFieldsOwnLineCounts() throws Exception {
    ReleaseFile release = parse("SHA256: " + SHA_EMPTY + " 0 main/i18n/Index\n");

    assertThat(release.entry("main/i18n/Index").flatMap(ReleaseEntry::sha256)).contains(SHA_EMPTY);
  }

  static Stream<Arguments> malformed() {
    String sha = " " + SHA_EMPTY + " 0 main/x\n";
    String signed = clearSign(RELEASE, "\n");
    return Stream.of(
        Arguments.of("no colon", "Origin Debian\n", "line 1: expected 'Field: value'"),
        Arguments.of(
            "continuation first", " stable\nSuite: x\n", "line 1: continuation line outside"),
        Arguments.of(
            "field twice", "Suite: a\nCodename: b\nsuite: c\n", "line 3: field 'suite' appears"),
        Arguments.of("comment line", "Suite: a\n#Codename: b\n", "line 2: expected 'Field"),
        Arguments.of(
            "two paragraphs", "Suite: a\n\nSuite: b\n", "line 3: a Release file is one paragraph"),
        Arguments.of("empty", "\n\n", "empty Release file"),
        Arguments.of(
            "short digest",
            "Suite: a\nSHA256:\n 0123abc 0 main/x\n",
            "line 3: SHA256 digest should be 64 hex digits, got '0123abc'"),
        Arguments.of(
            "non-hex digest",
            "SHA256:\n " + "g".repeat(64) + " 0 main/x\n",
            "line 2: SHA256 digest should be 64"),
        Arguments.of(
            "bad size",
            "MD5Sum:\n " + MD5_CONTENTS + " 12k main/x\n",
            "line 2: MD5Sum size is not a number of bytes: '12k'"),
        Arguments.of(
            "negative size",
            "MD5Sum:\n " + MD5_CONTENTS + " -1 main/x\n",
            "line 2: MD5Sum size is not a number"),
        Arguments.of(
            "two tokens",
            "SHA256:\n " + SHA_EMPTY + " main/x\n",
            "line 2: SHA256 line should be '<hex> <size> <name>'"),
        Arguments.of(
            "sizes disagree",
            "MD5Sum:\n " + MD5_CONTENTS + " 10 main/x\nSHA256:\n " + SHA_EMPTY + " 11 main/x\n",
            "line 4: SHA256 gives 'main/x' size 11, but MD5Sum gives size 10"),
        Arguments.of(
            "listed twice", "SHA256:\n" + sha + sha, "line 3: SHA256 lists 'main/x' twice"),
        Arguments.of(
            "parent path",
            "SHA256:\n " + SHA_EMPTY + " 0 ../../etc/passwd\n",
            "line 2: SHA256 lists '../../etc/passwd', which is not a path inside"),
        Arguments.of(
            "absolute path",
            "SHA256:\n " + SHA_EMPTY + " 0 /etc/passwd\n",
            "which is not a path inside"),
        Arguments.of(
            "armor headers never end",
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n",
            "line 2: clear-signed message ends before the blank line"),
        Arguments.of(
            "bad armor header",
            "-----BEGIN PGP SIGNED MESSAGE-----\nSuite: a\nHash SHA256\n\n",
            "line 3: expected an armor header"),
        Arguments.of(
            "no signature",
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSuite: a\n",
            "clear-signed message has no '-----BEGIN PGP SIGNATURE-----' line"),
        Arguments.of(
            "unterminated signature",
            signed.substring(0, signed.indexOf("-----END")),
            "clear-signed message has no '-----END PGP SIGNATURE-----' line"),
        Arguments.of(
            "text after the signature",
            signed + "\nSuite: unsigned\n",
            "text after the signature of a clear-signed message: 'Suite: unsigned'"),
        Arguments.of(
            "unsigned text before the message",
            "Suite: unsigned\n" + signed,
            "line 2: expected 'Field: value', got '-----BEGIN PGP SIGNED MESSAGE-----'"),
        Arguments.of(
            "unescaped dash",
            """
            -----BEGIN PGP SIGNED MESSAGE-----
            Hash: SHA256

            Suite: a
            -Label: b
            -----BEGIN PGP SIGNATURE-----
            -----END PGP SIGNATURE-----
            """,
            "line 5: signed line starting with '-' is not dash-escaped"),
        Arguments.of(
            "signed text keeps its line numbers",
            """
            -----BEGIN PGP SIGNED MESSAGE-----
            Hash: SHA256

            Suite: a
            Label b
            -----BEGIN PGP SIGNATURE-----
            -----END PGP SIGNATURE-----
            """,
            "line 5: expected 'Field: value', got 'Label b'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void malformed(String name, String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(DebianFormatException.class)
        .hasMessageContaining(message);
  }
}
