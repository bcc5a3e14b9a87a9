package dev.wheelhouse.server.proxy.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.DigestMismatchException;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One download per key into a real blob store; failures leave nothing behind. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class FillCoordinatorTest {
  private static final Sha256 WRONG = Sha256.digest("other".getBytes(StandardCharsets.UTF_8));

  @TempDir Path data;
  private FileBlobStore blobs;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private FillCoordinator coordinator;
  private final CountDownLatch gate = new CountDownLatch(1);
  private final AtomicInteger opened = new AtomicInteger();

  @BeforeEach
  void open() throws IOException {
    blobs = FileBlobStore.open(data);
    coordinator = new FillCoordinator(blobs, threads);
  }

  @AfterEach
  void close() throws Exception {
    gate.countDown();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    blobs.close();
  }

  @Test
  void callsForOneKeyShareOneDownloadUntilItFinishes() throws Exception {
    byte[] content = new GeneratedBytes(300_000, 1).bytes();
    UpstreamOpener opener = pausing(content, 100_000, true);

    Fill first = coordinator.fill("a", opener, Optional.of(Sha256.digest(content)));
    Fill second = coordinator.fill("a", opener, Optional.empty());
    Fill other = coordinator.fill("b", pausing(content, 100_000, true), Optional.empty());

    assertThat(second).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(coordinator.coalesced()).isEqualTo(1);
    assertThat(coordinator.inFlight()).isEqualTo(2);
    gate.countDown();
    StoredBlob blob = first.done().get(10, TimeUnit.SECONDS);
    other.done().get(10, TimeUnit.SECONDS);

    assertThat(blob.sha256()).isEqualTo(Sha256.digest(content));
    assertThat(Files.readAllBytes(blob.path())).isEqualTo(content);
    assertThat(first.finished()).isTrue();
    assertThat(first.available()).isEqualTo(content.length);
    assertThat(first.expectedSize()).hasValue(content.length);
    assertThat(coordinator.inFlight()).isZero();
    assertThat(opened).hasValue(2);
    assertThat(coordinator.fill("a", opener, Optional.empty())).isNotSameAs(first);
  }

  @Test
  void growingFileIsReadableWhileTheFillRunsAndAfterItsCommit() throws Exception {
    byte[] content = new GeneratedBytes(500_000, 2).bytes();
    List<Boolean> finishedAtProgress = new java.util.concurrent.CopyOnWriteArrayList<>();
    Fill fill = coordinator.fill("a", pausing(content, 200_000, true), Optional.empty());
    CountDownLatch lastCall = new CountDownLatch(1);
    fill.onProgress(
        () -> {
          finishedAtProgress.add(fill.finished());
          if (fill.finished()) {
            lastCall.countDown();
          }
        });
    awaitAvailable(fill, 200_000);

    try (FileChannel channel = FileChannel.open(fill.tempFile())) {
      long available = fill.available();
      assertThat(read(channel, 0, (int) available))
          .isEqualTo(java.util.Arrays.copyOf(content, (int) available));
      gate.countDown();
      fill.done().get(10, TimeUnit.SECONDS);
      // Committed (renamed into the store): the channel opened before still reads every byte.
      assertThat(read(channel, 0, content.length)).isEqualTo(content);
    }
    // Called once more after done() completed (listeners run just after it).
    assertThat(lastCall.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(finishedAtProgress).hasSizeGreaterThan(2).endsWith(true);
    assertThat(finishedAtProgress.subList(0, finishedAtProgress.size() - 1)).containsOnly(false);
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void digestMismatchStoresNothing() throws Exception {
    byte[] content = new GeneratedBytes(100_000, 3).bytes();
    Fill fill = coordinator.fill("a", pausing(content, 0, true), Optional.of(WRONG));
    gate.countDown();

    assertThat(failure(fill)).isInstanceOf(DigestMismatchException.class);
    assertNothingStored();
  }

  @Test
  void bodyShorterThanContentLengthFails() throws Exception {
    UpstreamOpener opener =
        () -> new UpstreamBody(new ByteArrayInputStream(new byte[10]), OptionalLong.of(20));
    Fill fill = coordinator.fill("a", opener, Optional.empty());

    assertThat(failure(fill))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("ended after 10 of 20 bytes");
    assertNothingStored();
  }

  @Test
  void bodyLongerThanContentLengthFails() throws Exception {
    UpstreamOpener opener =
        () -> new UpstreamBody(new ByteArrayInputStream(new byte[30]), OptionalLong.of(20));
    Fill fill = coordinator.fill("a", opener, Optional.empty());

    assertThat(failure(fill))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("more than its Content-Length");
    assertNothingStored();
  }

  @Test
  void readErrorMidBodyIsAnUpstreamFailure() throws Exception {
    InputStream broken =
        new FilterInputStream(new ByteArrayInputStream(new byte[100_000])) {
          private int reads;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (++reads > 1) {
              throw new IOException("connection reset");
            }
            return super.read(b, off, Math.min(len, 1000));
          }
        };
    Fill fill =
        coordinator.fill(
            "a", () -> new UpstreamBody(broken, OptionalLong.of(100_000)), Optional.empty());

    assertThat(failure(fill))
        .isInstanceOf(UpstreamException.class)
        .hasRootCauseMessage("connection reset");
    assertNothingStored();
  }

  @Test
  void failedFillIsRemovedBeforeAnyoneHearsOfIt() throws Exception {
    UpstreamOpener refused =
        () -> {
          opened.incrementAndGet();
          throw new IOException("connection refused");
        };
    Fill failed = coordinator.fill("a", refused, Optional.empty());
    // Whoever reacts to the failure by asking again gets a new download, never the failed one.
    CompletableFuture<Fill> retried = new CompletableFuture<>();
    var unused =
        failed
            .done()
            .whenComplete(
                (blob, e) -> retried.complete(coordinator.fill("a", refused, Optional.empty())));

    assertThat(failure(failed))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("connection refused");
    Fill retry = retried.get(10, TimeUnit.SECONDS);
    assertThat(retry).isNotSameAs(failed);
    assertThat(failure(retry)).isInstanceOf(UpstreamException.class);
    assertThat(opened).hasValue(2);
    assertThat(coordinator.coalesced()).isZero();
    assertThat(coordinator.inFlight()).isZero();
  }

  @Test
  void errorStatusFromTheOpenerIsKept() throws Exception {
    Fill fill =
        coordinator.fill(
            "a",
            () -> {
              throw UpstreamException.status(404, "https://files.example/x.whl");
            },
            Optional.empty());

    assertThat(failure(fill))
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).hasValue(404));
  }

  @Test
  void commitHookRunsWhileLaterCallsStillJoinTheFill() throws Exception {
    byte[] content = new GeneratedBytes(100_000, 4).bytes();
    UpstreamOpener opener = pausing(content, 0, true);
    CompletableFuture<Fill> joinedInHook = new CompletableFuture<>();
    CompletableFuture<Boolean> finishedInHook = new CompletableFuture<>();
    AtomicReference<Fill> started = new AtomicReference<>();
    CommitHook hook =
        blob -> {
          // What the hook records is in place before anyone can start a second download.
          joinedInHook.complete(coordinator.fill("a", opener, Optional.empty()));
          finishedInHook.complete(started.get().finished());
        };
    // The upstream waits for the gate, so the hook cannot run before started is set.
    started.set(coordinator.fill("a", opener, Optional.empty(), hook));
    gate.countDown();

    StoredBlob blob = started.get().done().get(10, TimeUnit.SECONDS);
    assertThat(joinedInHook.get(10, TimeUnit.SECONDS)).isSameAs(started.get());
    assertThat(finishedInHook.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(blob.sha256()).isEqualTo(Sha256.digest(content));
    assertThat(opened).hasValue(1);
  }

  @Test
  void failingCommitHookStillDeliversTheStoredBlob() throws Exception {
    byte[] content = new GeneratedBytes(1000, 5).bytes();
    Fill fill =
        coordinator.fill(
            "a",
            pausing(content, 0, true),
            Optional.empty(),
            blob -> {
              throw new IOException("metadata store is down");
            });
    gate.countDown();

    StoredBlob blob = fill.done().get(10, TimeUnit.SECONDS);
    assertThat(Files.readAllBytes(blob.path())).isEqualTo(content);
    assertThat(coordinator.inFlight()).isZero();
  }

  @Test
  void rejectedExecutionFailsTheFill() throws Exception {
    FillCoordinator full =
        new FillCoordinator(
            blobs,
            task -> {
              throw new RejectedExecutionException("no threads left");
            });
    Fill fill = full.fill("a", pausing(new byte[1], 0, true), Optional.empty());

    assertThat(failure(fill)).isInstanceOf(RejectedExecutionException.class);
    assertThat(full.inFlight()).isZero();
    assertThat(full.fill("a", pausing(new byte[1], 0, true), Optional.empty())).isNotSameAs(fill);
  }

  /** Serves {@code content}, stopping after {@code pauseAfter} bytes until the gate opens. */
  private UpstreamOpener pausing(byte[] content, int pauseAfter, boolean withLength) {
    return () -> {
      opened.incrementAndGet();
      InputStream stream =
          new FilterInputStream(new ByteArrayInputStream(content)) {
            private int position;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (position >= pauseAfter) {
                awaitGate();
              }
              int limit = position < pauseAfter ? Math.min(len, pauseAfter - position) : len;
              int n = super.read(b, off, limit);
              position += Math.max(n, 0);
              return n;
            }
          };
      return new UpstreamBody(
          stream, withLength ? OptionalLong.of(content.length) : OptionalLong.empty());
    };
  }

  private void awaitGate() throws IOException {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IOException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  private static Throwable failure(Fill fill) throws Exception {
    try {
      fill.done().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("fill of " + fill.key() + " did not fail");
  }

  private static void awaitAvailable(Fill fill, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fill.available() < bytes) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static byte[] read(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        break;
      }
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  private void assertNothingStored() throws IOException {
    try (Stream<Sha256> stored = blobs.list()) {
      assertThat(stored).isEmpty();
    }
    assertThat(tempFiles()).isEmpty();
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(blobs.tempDir())) {
      return new ArrayList<>(files.toList());
    }
  }
}
