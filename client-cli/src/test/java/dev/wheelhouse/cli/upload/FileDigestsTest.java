package dev.wheelhouse.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
  @TempDir Path dir;

  @Test
  void matchesKnownDigestsOfAbc() throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");

    FileDigests digests = FileDigests.of(file, done -> {});

    // Python: hashlib.sha256(b"abc"), hashlib.md5(b"abc"), hashlib.blake2b(b"abc", digest_size=32)
    assertThat(digests.sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(digests.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(digests.blake2b256())
        .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assertThat(digests.size()).isEqualTo(3);
  }

  @Test
  void reportsProgressUpToTheSize() throws Exception {
    Path file = Files.write(dir.resolve("big"), new byte[200_000]);
    List<Long> progress = new ArrayList<>();

    FileDigests digests = FileDigests.of(file, progress::add);

    assertThat(digests.size()).isEqualTo(200_000);
    assertThat(progress).isSorted().hasSizeGreaterThan(1).endsWith(200_000L);
  }
}
