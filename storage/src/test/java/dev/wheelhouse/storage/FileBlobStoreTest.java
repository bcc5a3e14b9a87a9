package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
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
  void aFailedWriteLeavesTheWriterOnlyClosable() throws IOException {
    byte[] bytes = "partial".getBytes(StandardCharsets.UTF_8);
    BlobWriter writer = store.newWriter();
    writer.write(bytes, 0, 3);
    Path temp = writer.tempPath();

    Thread.currentThread().interrupt(); // makes the channel's next write fail and close it
    try {
      assertThatThrownBy(() -> writer.write(bytes, 3, 4))
          .isInstanceOf(ClosedByInterruptException.class);
    } finally {
      Thread.interrupted();
    }

    // The digest saw bytes the file lacks: committing them would store wrong content.
    assertThat(writer.size()).isEqualTo(3);
    assertThatThrownBy(() -> writer.write(bytes, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed");
    assertThatThrownBy(() -> writer.commit(Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed");
    writer.close();
    assertThat(temp).doesNotExist();
    assertThat(listed()).isEmpty();
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
