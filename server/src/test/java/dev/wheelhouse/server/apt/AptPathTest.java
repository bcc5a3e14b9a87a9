package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.server.http.HttpProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AptPathTest {
  @ParameterizedTest
  @CsvSource({
    "pool/main/h/hello/hello_2.10-3_amd64.deb, POOL",
    "pool/main/g/g++-12/g++-12_12.2.0-14_amd64.deb, POOL",
    "debian/pool/main/x/x.dsc, INDEX",
    "extra/whtest_1.0_amd64.deb, POOL",
    "dists/stable/InRelease, RELEASE",
    "dists/stable/Release, RELEASE",
    "dists/stable/Release.gpg, RELEASE",
    "InRelease, RELEASE",
    "dists/stable/main/binary-amd64/Packages.xz, INDEX",
    "dists/stable/main/i18n/Translation-en.bz2, INDEX",
    "dists/stable/main/binary-amd64/by-hash/SHA256/0123abcd, BY_HASH",
    "dists/stable/main/binary-amd64/by-hash/MD5Sum/0123ABCD, BY_HASH",
    "dists/stable/main/binary-amd64/by-hash/SHA256/not-hex, INDEX",
    "ls-lR.gz, INDEX",
  })
  void kindDecidesTheCachePolicy(String path, AptPath.Kind kind) {
    assertThat(AptPath.fromRaw(path).kind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({
    "pool/main/g/g%2B%2B-12/g%2B%2B-12_12.2.0_amd64.deb, pool/main/g/g++-12/g++-12_12.2.0_amd64.deb",
    "pool/main/g/g++-12/g++-12_12.2.0_amd64.deb, pool/main/g/g++-12/g++-12_12.2.0_amd64.deb",
    "pool/main/v/v/v_1.0%7Ebeta_amd64.deb, pool/main/v/v/v_1.0~beta_amd64.deb",
    "pool/main/s/s/with%20space.deb, pool/main/s/s/with space.deb",
    "pool/main/e/e/e_1%3a2.0.deb, pool/main/e/e/e_1:2.0.deb",
  })
  void encodingsOfOneNameDecodeToOneCacheEntry(String raw, String decoded) {
    assertThat(AptPath.fromRaw(raw).value()).isEqualTo(decoded);
  }

  @ParameterizedTest
  @CsvSource({
    "pool/main/g/g++-12/g++-12_1~b_amd64.deb, pool/main/g/g++-12/g++-12_1~b_amd64.deb",
    "pool/main/s/s/with space.deb, pool/main/s/s/with%20space.deb",
    "pool/main/p/p/100%.deb, pool/main/p/p/100%25.deb",
  })
  void upstreamUrlsEncodeOnlyWhatMustBe(String decoded, String encoded) {
    assertThat(new AptPath(decoded).encoded()).isEqualTo(encoded);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "pool//x.deb", "pool/./x.deb", "pool/%2e%2e/x.deb", "pool/a%2Fb.deb", "a/"})
  void badPathsAreRefusedWithAReason(String raw) {
    assertThatThrownBy(() -> AptPath.fromRaw(raw))
        .isInstanceOfSatisfying(
            HttpProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.reason()).isNotBlank();
            });
  }

  @ParameterizedTest
  @CsvSource({
    "dists/stable/main/binary-amd64/by-hash/SHA256/ABCD, SHA256, abcd",
    "dists/x/by-hash/MD5Sum/0f, MD5Sum, 0f",
  })
  void byHashNamesGiveAlgorithmAndDigest(String path, String algorithm, String hex) {
    assertThat(AptPath.fromRaw(path).byHash()).contains(new AptPath.ByHash(algorithm, hex));
  }
}
