package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  void aBlobNobodyCommittedAgainCanBeDeletedByTheCollector() throws IOException {
    store.put(new ByteArrayInputStream(HELLO), Optional.empty());

    assertThat(store.deleteUnlessRecommitted(HELLO_SHA)).isTrue();
    assertThat(store.contains(HELLO_SHA)).isFalse();
    assertThat(store.deleteUnlessRecommitted(HELLO_SHA)).isFalse();
  }

  @Test
  void aBlobCommittedAgainIsLeftForTheWriterWhoseEntryIsOnItsWay() throws IOException {
    store.put(new ByteArrayInputStream(HELLO), Optional.empty());
    // A second writer stores the same bytes; its entry is not recorded yet.
    store.put(new ByteArrayInputStream(HELLO), Optional.empty());

    assertThat(store.deleteUnlessRecommitted(HELLO_SHA)).isFalse();
    assertThat(store.contains(HELLO_SHA)).isTrue();
    assertThat(store.delete(HELLO_SHA)).as("an explicit delete still works").isTrue();
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
  void tempPathCanBeReadWhileWritingAndAfterCommit() throws IOException {
    byte[] part1 = "first chunk,".getBytes(StandardCharsets.UTF_8);
    byte[] part2 = "second chunk,".getBytes(StandardCharsets.UTF_8);
    byte[] part3 = "written just before the commit".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    StoredBlob blob;
    try (BlobWriter writer = store.newWriter()) {
      Path temp = writer.tempPath();
      assertThat(temp).startsWith(store.tempDir()).exists();
      try (FileChannel reader = FileChannel.open(temp, StandardOpenOption.READ)) {
        assertThat(readUpTo(reader, writer.size())).isEmpty();

        writer.write(part1, 0, part1.length);
        all.write(part1);
        assertThat(readUpTo(reader, writer.size())).isEqualTo(part1);

        writer.write(ByteBuffer.wrap(part2));
        all.write(part2);
        assertThat(readUpTo(reader, writer.size())).isEqualTo(part2);

        writer.write(part3, 0, part3.length);
        all.write(part3);
        blob = writer.commit(Optional.of(Sha256.digest(all.toByteArray())));

        assertThat(writer.tempPath()).isEqualTo(temp).doesNotExist();
        assertThat(writer.size()).isEqualTo(all.size());
        // The open channel still reads the same file, now the blob.
        assertThat(readUpTo(reader, writer.size())).isEqualTo(part3);
        assertThat(reader.size()).isEqualTo(all.size());
      }
    }
    assertThat(blob.path()).hasBinaryContent(all.toByteArray());
  }

  @Test
  void tempPathStaysReadableThroughAnOpenChannelWhenTheBlobWasAlreadyStored() throws IOException {
    StoredBlob existing = store.put(new ByteArrayInputStream(HELLO), Optional.empty());
    try (BlobWriter writer = store.newWriter();
        FileChannel reader = FileChannel.open(writer.tempPath(), StandardOpenOption.READ)) {
      writer.write(HELLO, 0, 5);
      assertThat(readUpTo(reader, writer.size())).isEqualTo(Arrays.copyOf(HELLO, 5));
      writer.write(HELLO, 5, HELLO.length - 5);

      assertThat(writer.commit(Optional.of(HELLO_SHA))).isEqualTo(existing);

      assertThat(writer.tempPath()).doesNotExist();
      assertThat(readUpTo(reader, writer.size()))
          .isEqualTo(Arrays.copyOfRange(HELLO, 5, HELLO.length));
    }
    assertThat(store.tempDir()).isEmptyDirectory();
  }

  @Test
  void tempPathIsGoneAfterCloseWithoutCommit() throws IOException {
    Path temp;
    try (BlobWriter writer = store.newWriter()) {
      writer.write(HELLO, 0, HELLO.length);
      temp = writer.tempPath();
      assertThat(temp).hasBinaryContent(HELLO);
    }
    assertThat(temp).doesNotExist();
  }

  /**
   * A proxy serves a file while it downloads: one thread writes 20 MB in 64 KiB chunks, another
   * polls {@link BlobWriter#size} and reads the temp file up to it. Every byte counted must be
   * readable, and be exactly the byte written.
   */
  @Test
  void readersOfTempPathSeeExactlyTheBytesCountedBySize() throws Exception {
    long total = 20L * 1024 * 1024;
    long seed = 2024;
    Sha256 expected = sha256Of(new GeneratedInputStream(total, seed));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (BlobWriter writer = store.newWriter();
        FileChannel file = FileChannel.open(writer.tempPath(), StandardOpenOption.READ)) {
      CountDownLatch firstChunkRead = new CountDownLatch(1);
      AtomicBoolean committed = new AtomicBoolean();
      Future<StoredBlob> writing =
          pool.submit(
              () -> {
                InputStream source = new GeneratedInputStream(total, seed);
                byte[] chunk = new byte[64 * 1024];
                int n;
                boolean first = true;
                while ((n = source.read(chunk)) != -1) {
                  writer.write(chunk, 0, n);
                  if (first) {
                    // Make sure at least one read overlaps the write; the rest runs freely.
                    assertThat(firstChunkRead.await(30, TimeUnit.SECONDS)).isTrue();
                    first = false;
                  }
                }
                StoredBlob blob = writer.commit(Optional.of(expected));
                committed.set(true);
                return blob;
              });
      Future<Integer> reading =
          pool.submit(
              () -> {
                InputStream reference = new GeneratedInputStream(total, seed);
                ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
                long position = 0;
                int readsBeforeCommit = 0;
                while (position < total) {
                  boolean beforeCommit = !committed.get();
                  long available = writer.size();
                  assertThat(available).isBetween(position, total);
                  if (available == position) {
                    Thread.onSpinWait();
                    continue;
                  }
                  while (position < available) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), available - position));
                    while (buffer.hasRemaining()) {
                      int n = file.read(buffer, position + buffer.position());
                      assertThat(n).as("counted bytes must be in the file").isPositive();
                    }
                    buffer.flip();
                    byte[] got = new byte[buffer.remaining()];
                    buffer.get(got);
                    assertThat(got)
                        .as("bytes at offset %d", position)
                        .isEqualTo(reference.readNBytes(got.length));
                    position += got.length;
                  }
                  if (beforeCommit) {
                    readsBeforeCommit++;
                  }
                  firstChunkRead.countDown();
                }
                return readsBeforeCommit;
              });

      assertThat(reading.get(120, TimeUnit.SECONDS)).isPositive();
      StoredBlob blob = writing.get(120, TimeUnit.SECONDS);
      assertThat(blob.sha256()).isEqualTo(expected);
      assertThat(blob.size()).isEqualTo(total);
      assertThat(writer.size()).isEqualTo(total);
    } finally {
      pool.shutdownNow();
    }
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

  /** Reads from the channel's position up to {@code end}, failing if the file holds fewer bytes. */
  static byte[] readUpTo(FileChannel channel, long end) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - channel.position()));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) == -1) {
        throw new AssertionError("file ends before " + end + " bytes");
      }
    }
    return buffer.array();
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
