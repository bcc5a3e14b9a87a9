package dev.wheelhouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelhouse.server.testing.AdminRequests;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.ConsistencyCheck;
import dev.wheelhouse.storage.ConsistencyReport;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /admin/prune} (apply, {@code maxSize: "1"}: every proxied file goes) while 20 clients
 * download the very files it evicts, over plain HTTP/1.1 connections.
 *
 * <p>Every download ends with the right bytes, whether it was sent from the store or fetched from
 * upstream again; the store stays consistent; and the blobs the prune had to leave because they
 * were being sent are exactly what garbage collection later removes.
 *
 * <p>In the first two tests downloads overlap the prune deterministically, without sleeps: a "held"
 * client reads the head of its file, then waits on a latch that opens only after the prune has
 * answered. The files are several MB, more than loopback socket buffers take, so the server is
 * still sending each of them (and holds a lease on its blob) while the prune runs; the test checks
 * that through the {@code wheelhouse_blob_leases} gauge rather than assuming it. The third test has
 * no choreography at all: prunes back to back while clients download, to catch the interleavings
 * nobody thought of.
 *
 * <p>Clients speak HTTP/1.1 over plain sockets (see {@link #download}), so that every failed or
 * truncated response is seen as such.
 *
 * <p>Garbage collection only removes orphans older than its grace period (one hour in the server).
 * Instead of waiting, the test ages the store while the server is stopped: every blob file's
 * modification time and every blob row's creation time are set two hours back, which is what an
 * hour and more of wall-clock time does to them.
 */
class PruneUnderLoadTest {
  private static final List<String> PROJECTS = List.of("alpha", "beta", "gamma", "delta");
  private static final int CLIENTS = 20;
  // Read before a held client stops: the server has certainly started sending by then.
  private static final int HEAD_BYTES = 256 * 1024;
  private static final long BOUND_SECONDS = 120;

  @TempDir Path tmp;
  private UpstreamIndex upstream;
  private TestServer server;
  private ExecutorService pool;
  // Opened in tearDown too, so that a failing test never leaves a client blocked.
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, Path> wheels = new LinkedHashMap<>(); // filename -> wheel
  // Expected bytes by filename, wheels and their ".metadata" (PEP 658) alike.
  private final Map<String, String> sha256 = new LinkedHashMap<>();
  private final Map<String, Long> sizes = new LinkedHashMap<>();

  @AfterEach
  void tearDown() {
    release.countDown();
    if (pool != null) {
      pool.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void downloadsInFlightFinishAndTheBlobsThePruneLeftAreWhatGcRemoves() throws Exception {
    start(12);
    CountDownLatch paused = new CountDownLatch(CLIENTS);
    List<Future<Download>> held = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String filename = filename(i);
      held.add(pool.submit(() -> download(filename, paused, release)));
    }
    assertThat(paused.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("clients started").isTrue();
    assertThat(leases())
        .as("every file is still being sent (else make the wheels bigger than socket buffers)")
        .isEqualTo(PROJECTS.size());

    JsonNode prune = result(post("/admin/prune", "{\"maxSize\": \"1\", \"apply\": true}"));

    assertThat(prune.get("applied").asBoolean()).isTrue();
    assertThat(prune.get("entriesSelected").asLong()).isEqualTo(PROJECTS.size());
    assertThat(prune.get("skippedInUse").asLong())
        .as("each wheel blob is being sent, so it stays")
        .isEqualTo(PROJECTS.size());
    assertThat(prune.get("blobsDeleted").asLong())
        .as("the wheels' METADATA blobs, which no one downloads, go")
        .isEqualTo(PROJECTS.size());
    JsonNode young = result(post("/admin/gc", "{}"));
    assertThat(young.get("orphanBlobs").asLong()).as("in use, and within the grace").isZero();

    release.countDown();
    assertAllRight(held);
    for (String filename : wheels.keySet()) {
      assertThat(upstream.fileRequests(filename)).as("sent from the store").isZero();
    }
    awaitNoLeases();
    server.close();
    server = null;

    Set<String> wheelBlobs =
        wheels.keySet().stream().map(sha256::get).collect(Collectors.toCollection(TreeSet::new));
    try (Stores stores = new Stores(data())) {
      ConsistencyReport report = stores.check();
      assertThat(report.consistent()).as(report.toString()).isTrue();
      assertThat(report.filesChecked()).as("no proxied file left").isZero();
      assertThat(report.orphanBlobs()).as("blob files without a row").isEmpty();
      assertThat(stores.unreferenced())
          .as("left by the prune: the wheels, rows and files")
          .isEqualTo(wheelBlobs);
      assertThat(stores.rows()).isEqualTo(wheelBlobs);
    }

    ageStore(Duration.ofHours(2));
    server = startServer();
    JsonNode dry = result(post("/admin/gc", "{}"));
    assertThat(dry.get("applied").asBoolean()).isFalse();
    assertThat(dry.get("orphanBlobs").asLong()).isEqualTo(PROJECTS.size());
    assertThat(dry.get("orphanBytes").asLong()).isEqualTo(totalWheelBytes());
    JsonNode gc = result(post("/admin/gc", "{\"apply\": true}"));
    assertThat(gc.get("removedBlobs").asLong()).isEqualTo(PROJECTS.size());
    // The pruned files come back from upstream, once each.
    for (String filename : wheels.keySet()) {
      Download again = download(filename, null, null);
      assertThat(again.sha256()).as(filename).isEqualTo(sha256.get(filename));
      assertThat(upstream.fileRequests(filename)).isEqualTo(1);
    }
    assertThat(result(post("/admin/gc", "{}")).get("orphanBlobs").asLong()).isZero();
    server.close();
    server = null;

    try (Stores stores = new Stores(data())) {
      ConsistencyReport report = stores.check();
      assertThat(report.consistent()).as(report.toString()).isTrue();
      assertThat(report.orphanBlobs()).isEmpty();
      assertThat(report.filesChecked()).isEqualTo(PROJECTS.size());
      assertThat(stores.unreferenced()).as("nothing orphaned").isEmpty();
    }
  }

  @Test
  void filesAskedForAfterThePruneComeBackFromUpstreamWhileTheOldBytesAreStillBeingSent()
      throws Exception {
    start(12);
    int heldClients = 12;
    CountDownLatch paused = new CountDownLatch(heldClients);
    List<Future<Download>> downloads = new ArrayList<>();
    for (int i = 0; i < heldClients; i++) {
      String filename = filename(i);
      downloads.add(pool.submit(() -> download(filename, paused, release)));
    }
    assertThat(paused.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("clients started").isTrue();
    assertThat(leases()).as("every file is still being sent").isEqualTo(PROJECTS.size());

    JsonNode prune = result(post("/admin/prune", "{\"maxSize\": \"1\", \"apply\": true}"));
    assertThat(prune.get("entriesSelected").asLong()).isEqualTo(PROJECTS.size());
    assertThat(prune.get("skippedInUse").asLong()).isEqualTo(PROJECTS.size());

    // Late clients, two per file at once, while the held ones still read the old blobs.
    List<Future<Download>> late = new ArrayList<>();
    for (int i = heldClients; i < CLIENTS; i++) {
      String filename = filename(i);
      late.add(pool.submit(() -> download(filename, null, null)));
    }
    assertAllRight(late);
    for (String filename : wheels.keySet()) {
      assertThat(upstream.fileRequests(filename)).as("fetched again, once").isEqualTo(1);
    }
    release.countDown();
    assertAllRight(downloads);
    awaitNoLeases();
    server.close();
    server = null;

    try (Stores stores = new Stores(data())) {
      ConsistencyReport report = stores.check();
      assertThat(report.consistent()).as(report.toString()).isTrue();
      assertThat(report.orphanBlobs()).isEmpty();
      assertThat(report.filesChecked()).as("every file is cached again").isEqualTo(PROJECTS.size());
      assertThat(stores.unreferenced()).as("the re-fetched files hold the old blobs").isEmpty();
    }
    ageStore(Duration.ofHours(2));
    server = startServer();
    assertThat(result(post("/admin/gc", "{}")).get("orphanBlobs").asLong()).isZero();
    for (String filename : wheels.keySet()) {
      assertThat(download(filename, null, null).sha256()).isEqualTo(sha256.get(filename));
      assertThat(upstream.fileRequests(filename)).as("a store hit now").isEqualTo(1);
    }
  }

  /**
   * No choreography: 20 clients download their file again and again while prunes follow each other,
   * so lookups, sends, upstream fetches and deletions interleave however they do. Whatever the
   * interleaving, every download has the right bytes, no metadata names a missing blob, and garbage
   * collection takes exactly the blobs nothing references any more.
   */
  @Test
  void prunesBackToBackWhileClientsDownloadNeverServeWrongBytesNorLeaveDanglingMetadata()
      throws Exception {
    start(1);
    int rounds = 15;
    AtomicBoolean clientsDone = new AtomicBoolean();
    List<Future<List<Download>>> clients = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      String filename = filename(i);
      clients.add(
          pool.submit(
              () -> {
                ready.countDown();
                List<Download> done = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                  // As pip does: the metadata first, then the wheel.
                  done.add(download(filename + ".metadata", null, null));
                  done.add(download(filename, null, null));
                }
                return done;
              }));
    }
    assertThat(ready.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<long[]> prunes =
        pool.submit(
            () -> {
              long[] totals = new long[3]; // runs, entries selected, blobs skipped in use
              Instant deadline = Instant.now().plusSeconds(BOUND_SECONDS);
              while (!clientsDone.get() && Instant.now().isBefore(deadline)) {
                JsonNode report =
                    result(post("/admin/prune", "{\"maxSize\": \"1\", \"apply\": true}"));
                totals[0]++;
                totals[1] += report.get("entriesSelected").asLong();
                totals[2] += report.get("skippedInUse").asLong();
              }
              return totals;
            });
    List<Download> downloads = new ArrayList<>();
    try {
      for (Future<List<Download>> client : clients) {
        downloads.addAll(client.get(BOUND_SECONDS, TimeUnit.SECONDS));
      }
    } finally {
      clientsDone.set(true);
    }
    long[] totals = prunes.get(BOUND_SECONDS, TimeUnit.SECONDS);
    awaitNoLeases();
    server.close();
    server = null;

    // Wrong downloads and a wrong store are reported together: one often explains the other.
    Set<String> leftOver;
    try (Stores stores = new Stores(data())) {
      ConsistencyReport report = stores.check();
      leftOver = stores.unreferenced();
      List<String> wrong = new ArrayList<>();
      for (Download download : downloads) {
        if (!isRight(download)) {
          wrong.add(download.toString());
        }
      }
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(wrong)
          .as(
              "wrong downloads of %d, during %d prunes that evicted %d entries and left %d blobs"
                  + " in use",
              downloads.size(), totals[0], totals[1], totals[2])
          .isEmpty();
      soft.assertThat(report.danglingFiles()).as("metadata naming missing blobs").isEmpty();
      soft.assertThat(report.danglingBlobRecords()).as("blob rows without a file").isEmpty();
      soft.assertThat(sha256.values())
          .as("only wheels and their METADATA are left over")
          .containsAll(leftOver);
      soft.assertThat(totals[1]).as("the prunes evicted files being downloaded").isPositive();
      soft.assertAll();
    }
    ageStore(Duration.ofHours(2));
    server = startServer();
    JsonNode dry = result(post("/admin/gc", "{}"));
    assertThat(dry.get("orphanBlobs").asLong())
        .as("GC's orphans are the unreferenced blobs: %s", leftOver)
        .isEqualTo(leftOver.size());
    JsonNode gc = result(post("/admin/gc", "{\"apply\": true}"));
    assertThat(gc.get("removedBlobs").asLong()).isEqualTo(leftOver.size());
    server.close();
    server = null;
    try (Stores stores = new Stores(data())) {
      ConsistencyReport report = stores.check();
      assertThat(report.consistent()).as(report.toString()).isTrue();
      assertThat(report.orphanBlobs()).isEmpty();
      assertThat(stores.unreferenced()).isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Wheels of about {@code mib} MiB each, an upstream serving them, a warm server. */
  private void start(int mib) throws Exception {
    UpstreamTree tree = UpstreamTree.in(tmp.resolve("upstream"));
    for (int i = 0; i < PROJECTS.size(); i++) {
      String project = PROJECTS.get(i);
      Path wheel =
          TestWheels.wheel(
              tmp.resolve("wheels"),
              project,
              "1.0",
              "py3-none-any",
              Map.of(),
              Map.of(project + "/payload.txt", noise(mib << 20, i)));
      tree.add(project, wheel, UpstreamTree.FileOptions.defaults().withCoreMetadata());
      String filename = wheel.getFileName().toString();
      wheels.put(filename, wheel);
      byte[] bytes = Files.readAllBytes(wheel);
      sha256.put(filename, hex(bytes));
      sizes.put(filename, (long) bytes.length);
      byte[] metadata = TestWheels.metadataOf(wheel);
      sha256.put(filename + ".metadata", hex(metadata));
      sizes.put(filename + ".metadata", (long) metadata.length);
    }
    upstream = UpstreamIndex.start(tree);
    server = startServer();
    pool = Executors.newCachedThreadPool();
    for (String filename : wheels.keySet()) {
      assertRight(download(filename, null, null)); // cached now
    }
    upstream.resetCounters();
  }

  private TestServer startServer() throws Exception {
    return TestServer.startWithIndexes(
        data(),
        "indexes:\n"
            + "  - name: local\n    type: hosted\n"
            + "  - name: pypi\n    type: proxy\n    url: "
            + upstream.simpleUrl()
            + "\n"
            + "  - name: all\n    type: group\n    members: [local, pypi]\n"
            + "default-index: all\nupload:\n  index: local\n");
  }

  private Path data() {
    return tmp.resolve("data");
  }

  /** Client {@code i}'s file: clients spread evenly over the files. */
  private String filename(int i) {
    return new ArrayList<>(wheels.keySet()).get(i % wheels.size());
  }

  private long totalWheelBytes() throws IOException {
    long total = 0;
    for (Path wheel : wheels.values()) {
      total += Files.size(wheel);
    }
    return total;
  }

  /** Random bytes as base64 text: deflate cannot shrink it much below {@code bytes}. */
  private static String noise(int bytes, int seed) {
    byte[] raw = new byte[bytes];
    new Random(seed).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** A finished download; {@code error} is the body of a failed response. */
  private record Download(String filename, int status, String sha256, long bytes, String error) {}

  /**
   * Downloads {@code /files/pypi/<project>/<filename>} over a socket of its own, speaking HTTP/1.1
   * by hand and hashing as it reads. A hand-written client, because {@code HttpURLConnection} and
   * {@code HttpClient} silently send a GET again when a connection closes without an answer, which
   * would hide exactly the failures this test looks for. With a {@code gate}: reads {@link
   * #HEAD_BYTES} of the body, counts down {@code paused}, and reads the rest once the gate opens.
   */
  private Download download(String filename, CountDownLatch paused, CountDownLatch gate)
      throws Exception {
    String project = filename.substring(0, filename.indexOf('-'));
    URI base = URI.create(server.url());
    boolean counted = gate == null;
    int status = -1;
    long total = 0;
    StringBuilder head = new StringBuilder(); // of a failed response, for the failure message
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /files/pypi/"
                  + project
                  + "/"
                  + filename
                  + " HTTP/1.1\r\nHost: "
                  + base.getAuthority()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      String statusLine = readLine(in);
      if (statusLine == null) {
        return new Download(filename, status, "", 0, "connection closed without a response");
      }
      status = Integer.parseInt(statusLine.substring("HTTP/1.1 ".length()).substring(0, 3));
      head.append(statusLine);
      long length = -1;
      boolean chunked = false;
      for (String header = readLine(in);
          header != null && !header.isEmpty();
          header = readLine(in)) {
        String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(header.indexOf(':') + 1).trim();
        head.append(" | ").append(header);
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        }
      }
      InputStream body = new Body(in, chunked, length);
      if (status != 200) {
        String reason = new String(body.readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Download(filename, status, "", 0, reason + " [" + head + "]");
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = body.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
        total += n;
        if (!counted && total >= HEAD_BYTES) {
          counted = true;
          paused.countDown();
          if (!gate.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        }
      }
      return new Download(filename, status, HexFormat.of().formatHex(digest.digest()), total, "");
    } catch (IOException e) {
      return new Download(filename, status, "", total, e + " [" + head + "]");
    } finally {
      if (!counted) {
        paused.countDown(); // failed early: do not keep the test waiting for this one
      }
    }
  }

  /** One line of an HTTP head, without its CRLF; null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        if (line.length() == 0) {
          return null;
        }
        throw new EOFException("truncated line: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** An HTTP/1.1 response body: Content-Length bytes, chunked, or up to the end of the stream. */
  private static final class Body extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private long remaining; // of the body, or of the current chunk; -1: up to the end
    private boolean done;

    Body(InputStream in, boolean chunked, long length) {
      this.in = in;
      this.chunked = chunked;
      this.remaining = chunked ? 0 : length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (!chunked && remaining < 0) {
        int n = in.read(b, off, len);
        done = n < 0;
        return n;
      }
      if (chunked && remaining == 0) {
        String size = readLine(in);
        if (size == null) {
          throw new EOFException("chunked body truncated");
        }
        int extension = size.indexOf(';');
        remaining =
            Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        if (remaining == 0) {
          for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); ) {
            trailer = readLine(in);
          }
        }
      }
      if (remaining == 0) {
        done = true;
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("body truncated with " + remaining + " bytes to go");
      }
      remaining -= n;
      if (chunked && remaining == 0 && readLine(in) == null) {
        throw new EOFException("chunked body truncated");
      }
      return n;
    }
  }

  private void assertAllRight(List<Future<Download>> downloads) throws Exception {
    for (Future<Download> download : downloads) {
      assertRight(download.get(BOUND_SECONDS, TimeUnit.SECONDS));
    }
  }

  private boolean isRight(Download download) throws IOException {
    return download.status() == 200
        && download.bytes() == sizes.get(download.filename())
        && download.sha256().equals(sha256.get(download.filename()));
  }

  private void assertRight(Download download) throws IOException {
    assertThat(download.status()).as(download.filename()).isEqualTo(200);
    assertThat(download.bytes()).as(download.filename()).isEqualTo(sizes.get(download.filename()));
    assertThat(download.sha256())
        .as(download.filename())
        .isEqualTo(sha256.get(download.filename()));
  }

  /** The {@code wheelhouse_blob_leases} gauge: blobs being sent right now. */
  private long leases() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    for (String line : metrics.body().lines().toList()) {
      if (line.startsWith("wheelhouse_blob_leases ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no wheelhouse_blob_leases in /metrics");
  }

  /** A response ends (and its lease goes) a moment after its client has read the last byte. */
  private void awaitNoLeases() throws Exception {
    Instant deadline = Instant.now().plusSeconds(BOUND_SECONDS);
    while (leases() > 0) {
      assertThat(Instant.now()).as("leases released").isBefore(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * What an hour and more does to the store: blob files and blob rows look {@code age} old. Run
   * while no server holds the store.
   */
  private void ageStore(Duration age) throws IOException {
    Instant then = Instant.now().minus(age);
    try (Stores stores = new Stores(data())) {
      List<BlobRecord> rows = new ArrayList<>();
      stores.meta.forEachBlob(rows::add);
      for (BlobRecord row : rows) {
        stores.meta.deleteBlob(row.sha256());
        stores.meta.putBlob(new BlobRecord(row.sha256(), row.size(), then));
      }
      try (Stream<Sha256> listed = stores.blobs.list()) {
        for (Sha256 sha : listed.toList()) {
          Files.setLastModifiedTime(stores.blobs.pathOf(sha), FileTime.from(then));
        }
      }
    }
  }

  /** The server's stores, opened on its data directory while it is stopped. */
  private static final class Stores implements AutoCloseable {
    final FileBlobStore blobs;
    final MetadataStore meta;

    Stores(Path data) throws IOException {
      blobs = FileBlobStore.open(data);
      meta = MetadataStore.open(data.resolve("meta"), Clock.systemUTC());
    }

    ConsistencyReport check() throws IOException {
      return ConsistencyCheck.run(meta, blobs);
    }

    /** Blob files no entry holds, as hex. */
    Set<String> unreferenced() throws IOException {
      try (Stream<Sha256> listed = blobs.list()) {
        return listed
            .filter(sha -> !meta.isReferenced(sha))
            .map(Sha256::hex)
            .collect(Collectors.toCollection(TreeSet::new));
      }
    }

    /** Blob rows, as hex. */
    Set<String> rows() {
      Set<String> rows = new TreeSet<>();
      meta.forEachBlob(row -> rows.add(row.sha256().hex()));
      return rows;
    }

    @Override
    public void close() {
      meta.close();
      blobs.close();
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return AdminRequests.post(server.url(), path, body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return AdminRequests.get(server.url(), path);
  }

  private static JsonNode result(HttpResponse<String> response) throws Exception {
    return AdminRequests.result(response);
  }

  private static String hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
