package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexFileKindTest {

  @ParameterizedTest
  @CsvSource({
    "main/binary-amd64/Packages, PACKAGES",
    "main/binary-amd64/Packages.gz, PACKAGES",
    "main/binary-amd64/Packages.xz, PACKAGES",
    "main/binary-amd64/Packages.bz2, PACKAGES",
    "main/binary-amd64/Packages.lzma, PACKAGES",
    "main/binary-amd64/Packages.zst, PACKAGES",
    "main/debian-installer/binary-amd64/Packages.xz, PACKAGES",
    "Packages.gz, PACKAGES",
    "main/source/Sources, SOURCES",
    "main/source/Sources.xz, SOURCES",
    "Sources.gz, SOURCES",
    "main/binary-amd64/Release, OTHER",
    "main/binary-amd64/Packages.diff/Index, OTHER",
    "main/binary-amd64/Packages.diff/T-2026-07-11-0813.38-F-2026-07-10-2010.19.gz, OTHER",
    "main/i18n/Translation-en.bz2, OTHER",
    "main/Contents-amd64.gz, OTHER",
    "main/binary-amd64/Packages.lz4, OTHER",
    "main/binary-amd64/Packages.xz.orig, OTHER",
    "main/binary-amd64/by-hash/SHA256/9e0b5aabb2465b3d2e7a7fe27f9913846277833f7a2826e7767acccff5b588c5, OTHER",
    "main/binary-amd64/OldPackages.gz, OTHER",
    "main/Packages/Contents.gz, OTHER",
  })
  void kindByFileName(String path, IndexFileKind expected) {
    assertThat(IndexFileKind.of(path)).isEqualTo(expected);
  }
}
