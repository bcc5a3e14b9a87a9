package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link BlobStore} must do; subclasses supply the implementation. */
abstract class BlobStoreContract {
  private static final byte[] HELLO = "hello, wheelhouse\n".getBytes(StandardCharsets.UTF_8);
  private static final Sha256 HELLO_SHA = Sha256.digest(HELLO);

  @TempDir Path dataDir;
  @TempDir Path elsewhere;
  BlobStore store;

  abstract BlobStore newStore(Path dir) throws IOException;

  @BeforeEach
  void openStore() throws IOException {
    store = newStore(dataDir);
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  @Test
  void putStoresBytesUnderTheirDigest() throws IOException {
    StoredBlob blob = store.put(new ByteArrayInputStream(HELLO), Optional.empty());

    assertThat(blob.sha256()).isEqualTo(HELLO_SHA);
    assertThat(blob.size()).isEqualTo(HELLO.length);
    assertThat(blob.path()).hasBinaryContent(HELLO);
    assertThat(store.contains(HELLO_SHA)).isTrue();
    assertThat(store.get(HELLO_SHA)).contains(blob);
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void putOfAnEmptyStreamStoresTheEmptyBlob() throws IOException {
    StoredBlob blob = store.put(InputStream.nullInputStream(), Optional.empty());

    assertThat(blob.sha256()).isEqualTo(Sha256.digest(new byte[0]));
    assertThat(blob.size()).isZero();
    assertThat(store.contains(blob.sha256())).isTrue();
  }

  @Test
  void putWithTheExpectedDigestSucceeds() throws IOException {
    StoredBlob blob = store.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA));

    assertThat(blob.sha256()).isEqualTo(HELLO_SHA);
  }

  @Test
  void putWithAnotherDigestStoresNothing() throws IOException {
    Sha256 wrong = Sha256.digest("other".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(HELLO), Optional.of(wrong)))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(wrong);
              assertThat(e.actual()).isEqualTo(HELLO_SHA);
            });
    assertThat(store.contains(HELLO_SHA)).isFalse();
    assertThat(store.contains(wrong)).isFalse();
    assertThat(listed()).isEmpty();
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void putOfTheSameBytesAgainIsIdempotent() throws IOException {
    StoredBlob first = store.put(new ByteArrayInputStream(HELLO), Optional.empty());
    StoredBlob second = store.put(new ByteArrayInputStream(HELLO), Optional.of(HELLO_SHA));

    assertThat(second).isEqualTo(first);
    assertThat(first.path()).hasBinaryContent(HELLO);
    assertThat(listed()).containsExactly(HELLO_SHA);
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void putUpdatesExtraDigestsWithTheSameBytes() throws IOException {
    MessageDigest md5 = md5();

    store.put(new ByteArrayInputStream(HELLO), Optional.empty(), md5);

    assertThat(md5.digest()).isEqualTo(md5().digest(HELLO));
  }

  @Test
  void failingSourceStoresNothing() throws IOException {
    InputStream failing =
        new FilterInputStream(new GeneratedInputStream(1_000_000, 1)) {
          private long served;

          @Override
          public int read(byte[] buffer, int off, int len) throws IOException {
            if (served >= 200_000) {
              throw new IOException("connection reset");
            }
            int n = super.read(buffer, off, len);
            served += Math.max(n, 0);
            return n;
          }
        };

    assertThatThrownBy(() -> store.put(failing, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThat(listed()).isEmpty();
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void writerStreamsBuffersAndArrays() throws IOException {
    byte[] part1 = "heap buffer,".getBytes(StandardCharsets.UTF_8);
    byte[] part2 = "direct buffer,".getBytes(StandardCharsets.UTF_8);
    byte[] part3 = "[array slice]".getBytes(StandardCharsets.UTF_8);
    byte[] all = "heap buffer,direct buffer,array slice".getBytes(StandardCharsets.UTF_8);
    MessageDigest md5 = md5();

    StoredBlob blob;
    try (BlobWriter writer = store.newWriter(md5)) {
      ByteBuffer heap = ByteBuffer.wrap(part1);
      writer.write(heap);
      assertThat(heap.hasRemaining()).isFalse();
      writer.write(ByteBuffer.allocateDirect(part2.length).put(part2).flip());
      writer.write(part3, 1, part3.length - 2);
      assertThat(writer.size()).isEqualTo(all.length);
      assertThat(listed()).isEmpty(); // nothing visible before commit
      blob = writer.commit(Optional.of(Sha256.digest(all)));
    }

    assertThat(blob.size()).isEqualTo(all.length);
    assertThat(blob.path()).hasBinaryContent(all);
    assertThat(md5.digest()).isEqualTo(md5().digest(all));
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void writerClosedWithoutCommitDiscardsItsBytes() throws IOException {
    try (BlobWriter writer = store.newWriter()) {
      writer.write(HELLO, 0, HELLO.length);
      assertThat(store.tempDir()).isNotEmptyDirectory();
    }

    assertThat(store.contains(HELLO_SHA)).isFalse();
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void writerMismatchDeletesItsTempFile() throws IOException {
    Sha256 wrong = Sha256.digest(new byte[] {1});
    try (BlobWriter writer = store.newWriter()) {
      writer.write(HELLO, 0, HELLO.length);
      assertThatThrownBy(() -> writer.commit(Optional.of(wrong)))
          .isInstanceOf(DigestMismatchException.class);
      assertThat(store.tempDir()).isEmptyDirectory();
    }

    assertThat(listed()).isEmpty();
  }

  @Test
  void writerCannotBeUsedAfterCommit() throws IOException {
    try (BlobWriter writer = store.newWriter()) {
      writer.write(HELLO, 0, HELLO.length);
      writer.commit(Optional.empty());

      assertThatThrownBy(() -> writer.write(HELLO, 0, 1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> writer.commit(Optional.empty()))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(store.contains(HELLO_SHA)).isTrue(); // closing after commit keeps the blob
  }

  @Test
  void adoptMovesATempFileIntoTheStore() throws IOException {
    Path upload = Files.write(store.tempDir().resolve("upload-1.part"), HELLO);
    MessageDigest md5 = md5();

    StoredBlob blob = store.adopt(upload, Optional.of(HELLO_SHA), md5);

    assertThat(blob.sha256()).isEqualTo(HELLO_SHA);
    assertThat(blob.size()).isEqualTo(HELLO.length);
    assertThat(blob.path()).hasBinaryContent(HELLO);
    assertThat(upload).doesNotExist();
    assertThat(md5.digest()).isEqualTo(md5().digest(HELLO));
  }

  @Test
  void adoptOfABlobAlreadyStoredDropsTheTempFile() throws IOException {
    StoredBlob first = store.put(new ByteArrayInputStream(HELLO), Optional.empty());
    Path upload = Files.write(store.tempDir().resolve("upload-2.part"), HELLO);

    assertThat(store.adopt(upload, Optional.empty())).isEqualTo(first);
    assertThat(upload).doesNotExist();
    assertThat(listed()).containsExactly(HELLO_SHA);
  }

  @Test
  void adoptWithAnotherDigestDeletesTheFileAndStoresNothing() throws IOException {
    Path upload = Files.write(store.tempDir().resolve("upload-3.part"), HELLO);
    Sha256 wrong = Sha256.digest(new byte[] {2});

    assertThatThrownBy(() -> store.adopt(upload, Optional.of(wrong)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(upload).doesNotExist();
    assertThat(listed()).isEmpty();
  }

  @Test
  void adoptRejectsFilesOutsideTheTempDirAndLeavesThemAlone() throws IOException {
    Path outside = Files.write(elsewhere.resolve("precious"), HELLO);
    Path sneaky = store.tempDir().resolve("..").resolve("..").resolve("precious");

    assertThatThrownBy(() -> store.adopt(outside, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("under");
    assertThatThrownBy(() -> store.adopt(sneaky, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.adopt(store.tempDir(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(outside).hasBinaryContent(HELLO);
    assertThat(listed()).isEmpty();
  }

  @Test
  void concurrentPutsOfTheSameContentEndWithOneIntactBlob() throws Exception {
    byte[] content = new GeneratedInputStream(2 * 1024 * 1024, 42).readAllBytes();
    Sha256 sha = Sha256.digest(content);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<StoredBlob>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.put(new ByteArrayInputStream(content), Optional.of(sha));
                }));
      }
      start.countDown();
      for (Future<StoredBlob> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS).sha256()).isEqualTo(sha);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(listed()).containsExactly(sha);
    StoredBlob blob = store.get(sha).orElseThrow();
    assertThat(blob.size()).isEqualTo(content.length);
    assertThat(blob.path()).hasBinaryContent(content);
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void streamsLargeBlobsWithoutHoldingThem() throws IOException {
    long size = 50L * 1024 * 1024;
    Sha256 expected = sha256Of(new GeneratedInputStream(size, 7));

    StoredBlob blob = store.put(new GeneratedInputStream(size, 7), Optional.of(expected));

    assertThat(blob.size()).isEqualTo(size);
    assertThat(Files.size(blob.path())).isEqualTo(size);
    try (InputStream stored = Files.newInputStream(blob.path())) {
      assertThat(sha256Of(stored)).isEqualTo(expected);
    }
  }

  @Test
  void sweepTempDeletesLeftovers() throws IOException {
    Files.write(store.tempDir().resolve("blob-crashed.tmp"), HELLO);
    Files.write(store.tempDir().resolve("upload.part"), HELLO);
    Path nested = Files.createDirectories(store.tempDir().resolve("unpack"));
    Files.write(nested.resolve("METADATA"), HELLO);

    assertThat(store.sweepTemp()).isEqualTo(3);
    assertThat(store.tempDir()).isEmptyDirectory();
    assertThat(store.sweepTemp()).isZero();
  }

  @Test
  void openSweepsLeftoversOfACrash() throws IOException {
    Files.write(store.tempDir().resolve("blob-crashed.tmp"), HELLO);
    store.close();

    store = newStore(dataDir);

    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void deleteRemovesABlob() throws IOException {
    store.put(new ByteArrayInputStream(HELLO), Optional.empty());

    assertThat(store.delete(HELLO_SHA)).isTrue();
    assertThat(store.contains(HELLO_SHA)).isFalse();
    assertThat(store.get(HELLO_SHA)).isEmpty();
    assertThat(store.delete(HELLO_SHA)).isFalse();
  }

  @Test
  void listReturnsEveryCommittedBlob() throws IOException {
    Set<Sha256> put = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      byte[] bytes = ("blob " + i).getBytes(StandardCharsets.UTF_8);
      put.add(store.put(new ByteArrayInputStream(bytes), Optional.empty()).sha256());
    }
    try (BlobWriter uncommitted = store.newWriter()) {
      uncommitted.write(HELLO, 0, HELLO.length);
      assertThat(listed()).containsExactlyInAnyOrderElementsOf(put);
    }
  }

  @Test
  void getOfAnUnknownBlobIsEmpty() throws IOException {
    assertThat(store.get(HELLO_SHA)).isEmpty();
    assertThat(store.contains(HELLO_SHA)).isFalse();
  }

  Set<Sha256> listed() throws IOException {
    try (Stream<Sha256> all = store.list()) {
      return all.collect(Collectors.toSet());
    }
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Sha256 sha256Of(InputStream in) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) != -1) {
      digest.update(buffer, 0, n);
    }
    return Sha256.fromBytes(digest.digest());
  }
}
