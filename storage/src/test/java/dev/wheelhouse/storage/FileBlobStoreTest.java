package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileBlobStoreTest extends BlobStoreContract {

  @Override
  BlobStore newStore(Path dir) throws IOException {
    return FileBlobStore.open(dir);
  }

  @Test
  void laysBlobsOutByDigest() throws IOException {
    byte[] bytes = "layout".getBytes(StandardCharsets.UTF_8);
    Sha256 sha = Sha256.digest(bytes);

    StoredBlob blob = store.put(new ByteArrayInputStream(bytes), Optional.empty());

    Path expected =
        dataDir.resolve("blobs/sha256").resolve(sha.hex().substring(0, 2)).resolve(sha.hex());
    assertThat(blob.path()).isEqualTo(expected.toAbsolutePath().normalize());
    assertThat(store.tempDir()).isEqualTo(dataDir.resolve("tmp").toAbsolutePath().normalize());
  }

  @Test
  void listIgnoresFilesItDidNotWrite() throws IOException {
    Path shard = Files.createDirectories(dataDir.resolve("blobs/sha256/ab"));
    Files.writeString(shard.resolve("notes.txt"), "x");
    Files.writeString(shard.resolve("ab" + "0".repeat(61)), "x"); // 63 chars
    Files.writeString(shard.resolve("cd" + "0".repeat(62)), "x"); // wrong shard
    Files.createDirectories(dataDir.resolve("blobs/sha256/lost+found"));

    assertThat(listed()).isEmpty();
  }
}
