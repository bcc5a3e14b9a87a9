package dev.wheelhouse.server.proxy.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.storage.DigestMismatchException;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients of a file that is still downloading, end to end: real upstream, real store, real Vert.x
 * server and real HTTP clients.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FillResponderTest {
  private static final Sha256 WRONG =
      Sha256.digest("not the file".getBytes(StandardCharsets.UTF_8));
  private static final int MIB = 1 << 20;

  @TempDir Path data;
  private FillHarness harness;
  private final ExecutorService clientThreads = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    harness = new FillHarness(data);
  }

  @AfterEach
  void stop() throws Exception {
    clientThreads.shutdownNow();
    harness.close();
  }

  @Test
  void fiftyConcurrentClientsShareOneUpstreamDownload() throws Exception {
    GeneratedBytes file = new GeneratedBytes(3 * MIB + 12_345, 1);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file, 256 * 1024, true);

    List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(submit(harness::get));
    }
    // Everybody has joined the one download before upstream is allowed to finish it.
    await(() -> harness.coordinator.coalesced() == 49);
    harness.upstream.release();

    for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
      HttpResponse<byte[]> r = response.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(file.size());
      assertThat(Sha256.digest(r.body())).isEqualTo(sha);
    }
    assertThat(harness.upstream.requests()).isEqualTo(1);
    assertThat(harness.outcomes(50)).allMatch(FillHarness.Outcome::ok);
    assertThat(harness.lastFill().done().get(10, TimeUnit.SECONDS).sha256()).isEqualTo(sha);
    assertThat(harness.storedBlobs()).containsExactly(sha);
    assertThat(harness.tempFiles()).isEmpty();
    assertThat(harness.coordinator.inFlight()).isZero();
  }

  @Test
  void smallFileWithWrongHashIs502ForEveryClientAndNothingIsStored() throws Exception {
    GeneratedBytes file = new GeneratedBytes(200_000, 2);
    harness.expect(WRONG);
    harness.upstream.serve(file, 100_000, true);

    List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      responses.add(submit(harness::get));
    }
    await(() -> harness.coordinator.coalesced() == 4);
    harness.upstream.release();

    for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
      HttpResponse<byte[]> r = response.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("sha256 mismatch");
    }
    assertThat(harness.outcomes(5))
        .allSatisfy(
            outcome -> {
              assertThat(outcome.failure()).isInstanceOf(DigestMismatchException.class);
              assertThat(outcome.headWritten()).isFalse();
            });
    assertThat(harness.storedBlobs()).isEmpty();
    assertThat(harness.tempFiles()).isEmpty();

    // The failed fill is gone: the next request is a new upstream download.
    assertThat(harness.get().statusCode()).isEqualTo(502);
    assertThat(harness.upstream.requests()).isEqualTo(2);
    assertThat(harness.storedBlobs()).isEmpty();
  }

  @Test
  void largeFileWithWrongHashTruncatesClientsAlreadyStreaming() throws Exception {
    GeneratedBytes file = new GeneratedBytes(4 * MIB, 3);
    harness.expect(WRONG);
    harness.upstream.serve(file, 2 * MIB, true);

    CountDownLatch midStream = new CountDownLatch(3);
    List<CompletableFuture<Download>> downloads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      downloads.add(new Client().mark(MIB, midStream).start());
    }
    assertThat(midStream.await(60, TimeUnit.SECONDS)).isTrue();
    harness.upstream.release();

    for (CompletableFuture<Download> download : downloads) {
      Download d = download.get(60, TimeUnit.SECONDS);
      assertThat(d.status()).isEqualTo(200);
      assertThat(d.contentLength()).hasValue(file.size());
      assertThat(d.failure()).isInstanceOf(IOException.class);
      assertThat(d.received()).isBetween((long) MIB, file.size() - 1);
    }
    assertThat(harness.outcomes(3))
        .allSatisfy(
            outcome -> {
              assertThat(outcome.failure()).isInstanceOf(DigestMismatchException.class);
              assertThat(outcome.headWritten()).isTrue();
            });
    assertThat(harness.storedBlobs()).isEmpty();
    assertThat(harness.tempFiles()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void lastByteWaitsUntilTheBlobIsCommitted(HttpClient.Version version) throws Exception {
    harness.clientVersion(version);
    GeneratedBytes file = new GeneratedBytes(2 * MIB + 5, 8);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file);
    harness.commits.pause();

    List<Client> readers = List.of(new Client(), new Client());
    List<CompletableFuture<Download>> downloads = readers.stream().map(Client::start).toList();
    // Every byte is on disk but not yet verified: clients have all but the last one.
    assertHeldAt(readers, file.size() - 1);
    harness.commits.resume();

    for (CompletableFuture<Download> download : downloads) {
      Download d = download.get(60, TimeUnit.SECONDS);
      assertThat(d.version()).isEqualTo(version);
      assertThat(d.failure()).isNull();
      assertThat(d.received()).isEqualTo(file.size());
      assertThat(d.sha256()).isEqualTo(sha);
    }
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void heldBackLastByteIsNeverSentWhenVerificationFails(HttpClient.Version version)
      throws Exception {
    harness.clientVersion(version);
    GeneratedBytes file = new GeneratedBytes(2 * MIB + 5, 9);
    harness.expect(WRONG);
    harness.upstream.serve(file);
    harness.commits.pause();

    List<Client> readers = List.of(new Client(), new Client());
    List<CompletableFuture<Download>> downloads = readers.stream().map(Client::start).toList();
    assertHeldAt(readers, file.size() - 1);
    harness.commits.resume();

    for (CompletableFuture<Download> download : downloads) {
      Download d = download.get(60, TimeUnit.SECONDS);
      assertThat(d.version()).isEqualTo(version);
      assertThat(d.status()).isEqualTo(200);
      assertThat(d.failure()).isInstanceOf(IOException.class);
      assertThat(d.received()).isEqualTo(file.size() - 1);
    }
    assertThat(harness.storedBlobs()).isEmpty();
    assertThat(harness.tempFiles()).isEmpty();
  }

  @Test
  void withoutContentLengthTheLastChunkWaitsUntilTheBlobIsCommitted() throws Exception {
    GeneratedBytes file = new GeneratedBytes(3 * MIB + 7, 10);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file, Long.MAX_VALUE, false);
    harness.commits.pause();

    Client client = new Client();
    CompletableFuture<Download> download = client.start();
    assertHeldAt(List.of(client), file.size() - Fill.CHUNK_SIZE);
    harness.commits.resume();

    Download d = download.get(60, TimeUnit.SECONDS);
    assertThat(d.contentLength()).isEmpty();
    assertThat(d.sha256()).isEqualTo(sha);
  }

  @Test
  void unknownLengthFailureAfterHeadersTruncatesTheChunkedResponse() throws Exception {
    GeneratedBytes file = new GeneratedBytes(3 * MIB, 4);
    harness.expect(WRONG);
    harness.upstream.serve(file, 2 * MIB, false);

    CountDownLatch midStream = new CountDownLatch(1);
    CompletableFuture<Download> download = new Client().mark(MIB, midStream).start();
    assertThat(midStream.await(60, TimeUnit.SECONDS)).isTrue();
    harness.upstream.release();

    Download d = download.get(60, TimeUnit.SECONDS);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.contentLength()).isEmpty();
    assertThat(d.failure()).isInstanceOf(IOException.class);
    assertThat(d.received()).isLessThan(file.size());
    assertThat(harness.storedBlobs()).isEmpty();
  }

  @Test
  void unknownLengthSuccessIsSentChunkedAndComplete() throws Exception {
    GeneratedBytes file = new GeneratedBytes(3 * MIB + 7, 5);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file, Long.MAX_VALUE, false);

    HttpResponse<byte[]> r = harness.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    assertThat(Sha256.digest(r.body())).isEqualTo(sha);
    assertThat(harness.storedBlobs()).containsExactly(sha);
  }

  @Test
  void clientDisconnectingMidDownloadDoesNotCancelTheFill() throws Exception {
    GeneratedBytes file = new GeneratedBytes(4 * MIB + 1, 6);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file, 2 * MIB, true);

    CountDownLatch midStream = new CountDownLatch(3);
    CompletableFuture<Download> quitter = new Client().mark(MIB, midStream).hangUpAtMark().start();
    List<CompletableFuture<Download>> stayers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      stayers.add(new Client().mark(MIB, midStream).start());
    }
    assertThat(midStream.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(quitter.get(60, TimeUnit.SECONDS).received()).isEqualTo(MIB);

    // The server notices the hang-up and stops following the fill, which goes on.
    FillHarness.Outcome gone = harness.outcomes(1).get(0);
    assertThat(gone.ok()).isFalse();
    assertThat(gone.headWritten()).isTrue();
    Fill fill = harness.lastFill();
    await(() -> fill.progressListeners() == 2);
    assertThat(fill.finished()).isFalse();
    harness.upstream.release();

    for (CompletableFuture<Download> stayer : stayers) {
      Download d = stayer.get(60, TimeUnit.SECONDS);
      assertThat(d.failure()).isNull();
      assertThat(d.sha256()).isEqualTo(sha);
    }
    assertThat(harness.outcomes(2)).allMatch(FillHarness.Outcome::ok);
    assertThat(fill.done().get(10, TimeUnit.SECONDS).sha256()).isEqualTo(sha);
    assertThat(harness.storedBlobs()).containsExactly(sha);
    assertThat(harness.tempFiles()).isEmpty();
    assertThat(harness.upstream.requests()).isEqualTo(1);
  }

  @Test
  void upstreamErrorStatusIs502() throws Exception {
    harness.expect(WRONG);
    harness.upstream.failWith(500);

    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r = harness.get();
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("HTTP 500");
    }
    assertThatThrownBy(() -> harness.lastFill().done().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).hasValue(500));
    assertThat(harness.outcomes(3)).allMatch(outcome -> !outcome.headWritten());
    assertThat(harness.storedBlobs()).isEmpty();
    assertThat(harness.tempFiles()).isEmpty();
  }

  @Test
  void twoHundredMegabytesToFourClientsKeepTheHeapFlat() throws Exception {
    GeneratedBytes file = new GeneratedBytes(200_000_000L, 7);
    Sha256 sha = file.sha256();
    harness.expect(sha);
    harness.upstream.serve(file);
    long before = usedHeapAfterGc();

    // One client stops reading after 1 MiB: without backpressure the whole file would pile up in
    // its response's write queue.
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    CompletableFuture<Download> slow =
        new Client().mark(MIB, slowStarted).pauseAtMark(resume).start();
    List<CompletableFuture<Download>> fast = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fast.add(new Client().start());
    }
    assertThat(slowStarted.await(60, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Download> download : fast) {
      Download d = download.get(120, TimeUnit.SECONDS);
      assertThat(d.failure()).isNull();
      assertThat(d.sha256()).isEqualTo(sha);
    }
    long during = usedHeapAfterGc();
    resume.countDown();
    Download d = slow.get(120, TimeUnit.SECONDS);
    assertThat(d.failure()).isNull();
    assertThat(d.sha256()).isEqualTo(sha);

    assertThat(during - before).isLessThan(48L * MIB);
    assertThat(usedHeapAfterGc() - before).isLessThan(48L * MIB);
    assertThat(harness.upstream.requests()).isEqualTo(1);
    assertThat(harness.storedBlobs()).containsExactly(sha);
  }

  /** What one streaming client saw. */
  private record Download(
      HttpClient.Version version,
      int status,
      OptionalLong contentLength,
      long received,
      Sha256 sha256,
      IOException failure) {}

  /** A client reading the body in chunks, as pip does; hooks let a test stop it at a point. */
  private final class Client {
    final AtomicLong received = new AtomicLong();
    private long mark = Long.MAX_VALUE;
    private CountDownLatch atMark;
    private CountDownLatch resumeAtMark;
    private boolean hangUpAtMark;

    /** Counts {@code latch} down once {@code bytes} are in. */
    Client mark(long bytes, CountDownLatch latch) {
      mark = bytes;
      atMark = latch;
      return this;
    }

    /** At the mark, stops reading until {@code resume}. */
    Client pauseAtMark(CountDownLatch resume) {
      resumeAtMark = resume;
      return this;
    }

    /** At the mark, closes the body: the client hangs up. */
    Client hangUpAtMark() {
      hangUpAtMark = true;
      return this;
    }

    CompletableFuture<Download> start() {
      return submit(this::run);
    }

    private Download run() throws Exception {
      HttpResponse<InputStream> response = harness.open();
      MessageDigest digest = Sha256.newDigest();
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = response.body()) {
        while (true) {
          long now = received.get();
          if (now == mark) {
            if (atMark != null) {
              atMark.countDown();
            }
            if (hangUpAtMark) {
              break;
            }
            if (resumeAtMark != null) {
              assertThat(resumeAtMark.await(120, TimeUnit.SECONDS)).isTrue();
            }
          }
          int want = (int) (now < mark ? Math.min(buffer.length, mark - now) : buffer.length);
          int n = in.read(buffer, 0, want);
          if (n < 0) {
            break;
          }
          digest.update(buffer, 0, n);
          received.addAndGet(n);
        }
      } catch (IOException e) {
        return new Download(
            response.version(), response.statusCode(), length(response), received.get(), null, e);
      }
      return new Download(
          response.version(),
          response.statusCode(),
          length(response),
          received.get(),
          Sha256.fromBytes(digest.digest()),
          null);
    }
  }

  private static OptionalLong length(HttpResponse<?> response) {
    return response.headers().firstValueAsLong("Content-Length");
  }

  private <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    clientThreads.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /** Every client reaches {@code bytes} and stays there while the fill has not finished. */
  private void assertHeldAt(List<Client> readers, long bytes) throws InterruptedException {
    await(() -> readers.stream().allMatch(c -> c.received.get() >= bytes));
    Thread.sleep(300);
    assertThat(harness.lastFill().finished()).isFalse();
    assertThat(readers).allSatisfy(c -> assertThat(c.received).hasValue(bytes));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(10);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    Thread.sleep(100);
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
