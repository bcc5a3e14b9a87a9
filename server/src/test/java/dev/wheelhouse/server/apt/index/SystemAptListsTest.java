package dev.wheelhouse.server.apt.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.wheelhouse.server.apt.index.ReleaseFile.ReleaseEntry;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the indexes apt downloaded on this machine, as real-world input: whatever Debian or Ubuntu
 * suites are configured, in whatever compression apt keeps them (lz4 on Docker-like images).
 * Skipped where apt has downloaded nothing.
 */
class SystemAptListsTest {
  static final Path LISTS = Path.of("/var/lib/apt/lists");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  @TempDir Path work;

  @Test
  void parsesEveryInRelease() throws IOException {
    List<Path> inReleases = listed("*InRelease");
    assumeFalse(inReleases.isEmpty(), "no InRelease files in " + LISTS + "; run apt-get update");

    for (Path path : inReleases) {
      ReleaseFile release = ReleaseFile.parse(Files.readAllBytes(path));

      assertThat(release.field("Suite").or(() -> release.field("Codename")))
          .as("%s names its suite", path)
          .isPresent();
      assertThat(release.entries()).as("%s lists files", path).isNotEmpty();
      ReleaseEntry packages =
          release
              .entry("main/binary-amd64/Packages.xz")
              .or(() -> firstPackagesIndex(release))
              .orElseThrow(() -> new AssertionError(path + " lists no Packages index"));
      assertThat(packages.sha256())
          .as("%s: sha256 of %s", path, packages.path())
          .hasValueSatisfying(sha -> assertThat(sha).matches(SHA256));
      assertThat(release.byHash("SHA256", packages.sha256().orElseThrow()))
          .as("%s: by-hash lookup", path)
          .hasValueSatisfying(byHash -> assertThat(byHash.hashes()).isEqualTo(packages.hashes()));
      if (release.field("Origin").filter("Debian"::equals).isPresent()) {
        assertThat(release.acquireByHash()).as("%s: Debian serves by-hash", path).isTrue();
      }
    }
  }

  @Test
  void scansEveryReadablePackagesIndex() throws IOException {
    List<Path> readable = new ArrayList<>();
    for (Path path : listed("*_Packages*")) {
      if (canOpen(path)) {
        readable.add(path);
      }
    }
    assumeFalse(
        readable.isEmpty(),
        "no Packages index in " + LISTS + " that the tests can decompress; run apt-get update");

    for (Path path : readable) {
      // Decompressed once: the lz4 decoder is the slow part of this test.
      Path plain = work.resolve(path.getFileName() + ".plain");
      try (InputStream in = open(path)) {
        Files.copy(in, plain);
      }
      List<PoolFile> files = new ArrayList<>();
      try (InputStream in = Files.newInputStream(plain)) {
        PackagesScanner.scan(in, files::add);
      }

      assertThat(files).as("%s", path).hasSize(countFilenameLines(plain));
      assertThat(files)
          .as("%s", path)
          .allSatisfy(
              file -> {
                assertThat(file.sha256())
                    .hasValueSatisfying(sha -> assertThat(sha).matches(SHA256));
                assertThat(file.path()).startsWith("pool/").doesNotContain("/../");
                assertThat(file.size()).isNotNegative();
              });
      Optional<ReleaseEntry> listed = releaseEntry(path);
      if (listed.isPresent()) {
        // apt keeps exactly the verified bytes, recompressed: the Release still describes them.
        assertThat(Files.size(plain)).as("%s: size", path).isEqualTo(listed.get().size());
        assertThat(listed.get().sha256()).as("%s: sha256", path).contains(sha256(plain));
      }
    }
  }

  private static int countFilenameLines(Path path) throws IOException {
    int count = 0;
    try (BufferedReader lines = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("Filename:")) {
          count++;
        }
      }
    }
    return count;
  }

  /** The Release entry of an apt list file, from the InRelease apt saved beside it. */
  private static Optional<ReleaseEntry> releaseEntry(Path path) throws IOException {
    String name = path.getFileName().toString();
    for (Path inRelease : listed("*InRelease")) {
      String prefix = inRelease.getFileName().toString().replaceFirst("InRelease$", "");
      if (name.startsWith(prefix)) {
        String relative = name.substring(prefix.length()).replace('_', '/');
        relative = relative.replaceFirst("\\.lz4$", "");
        relative =
            relative.substring(
                0, relative.length() - Compression.ofPath(relative).extension().length());
        return ReleaseFile.parse(Files.readAllBytes(inRelease)).entry(relative);
      }
    }
    return Optional.empty();
  }

  private static Optional<ReleaseEntry> firstPackagesIndex(ReleaseFile release) {
    return release.entries().stream()
        .filter(entry -> IndexFileKind.of(entry.path()) == IndexFileKind.PACKAGES)
        .filter(entry -> entry.sha256().isPresent())
        .findFirst();
  }

  private static List<Path> listed(String glob) throws IOException {
    List<Path> paths = new ArrayList<>();
    if (!Files.isDirectory(LISTS)) {
      return paths;
    }
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(LISTS, glob)) {
      for (Path path : listing) {
        if (Files.isRegularFile(path) && Files.isReadable(path)) {
          paths.add(path);
        }
      }
    }
    paths.sort(null);
    return paths;
  }

  /**
   * Whether the tests can decompress an apt list file; apt keeps lz4, which Debian never serves.
   */
  private static boolean canOpen(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(".lz4") || Compression.ofPath(name) != Compression.ZSTD;
  }

  /** Opens an apt list file, decompressed. */
  private static InputStream open(Path path) throws IOException {
    String name = path.getFileName().toString();
    if (name.endsWith(".lz4")) {
      return new FramedLZ4CompressorInputStream(
          new BufferedInputStream(Files.newInputStream(path)), true);
    }
    return Compression.ofPath(name).decompress(Files.newInputStream(path));
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
