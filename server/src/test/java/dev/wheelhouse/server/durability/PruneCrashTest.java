package dev.wheelhouse.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.config.Tokens;
import dev.wheelhouse.server.testing.AdminRequests;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.ConsistencyCheck;
import dev.wheelhouse.storage.ConsistencyReport;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a server in the middle of an applied prune, three times over, then a restart: no
 * metadata points at a missing blob, hosted files are untouched, and the only debris, blobs no
 * entry holds any more, is exactly what garbage collection removes.
 *
 * <p>The store is generated directly (a few thousand proxied entries, fetching them one by one
 * through HTTP would take minutes): small blobs, some shared by two entries, some wheels with a
 * METADATA blob, and one blob shared with a hosted upload. Everything is dated two days back (file
 * times and blob rows), so that the garbage collector's one-hour grace period does not hide the
 * debris and the test never waits for it.
 *
 * <p>The kill lands mid-run without sleeping: the test reads the prune's first NDJSON line (the
 * scan is done, deleting starts), then watches the blob file of an entry some way down the key
 * order, which the prune deletes in that order, and kills the server as soon as it is gone.
 */
class PruneCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int PROJECTS = 200;
  private static final int FILES_PER_PROJECT = 10;
  private static final int HOSTED = 20;
  private static final int KILLS = 3;
  // How far down the remaining entries the watched one is: the prune is well under way then.
  private static final int KILL_AFTER = 150;
  private static final Duration BOUND = Duration.ofMinutes(2);

  @TempDir Path work;
  private final Instant longAgo =
      Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

  @Test
  void killedMidPruneTheStoreIsConsistentAndGcTakesExactlyTheBlobsLeftBehind() throws Exception {
    Path data = work.resolve("data");
    Generated store = generate(data);
    try (UpstreamIndex upstream = UpstreamIndex.start(UpstreamTree.in(work.resolve("up")))) {
      String indexes = indexesYaml(upstream);
      Path config = work.resolve("wheelhouse.yaml");
      Files.writeString(config, "listen: 127.0.0.1:0\ndata: " + data + "\n" + authYaml() + indexes);

      Set<String> leftBehind = Set.of();
      int remaining = store.proxied.size();
      for (int kill = 0; kill < KILLS; kill++) {
        List<Entry> left = remainingProxied(data, store);
        assertThat(left).hasSize(remaining);
        Entry watched = firstUnshared(left, KILL_AFTER, store);
        killDuringPrune(config, data, watched, kill);

        try (Stores stores = new Stores(data)) {
          ConsistencyReport report = stores.check();
          assertThat(report.danglingFiles()).as("metadata naming a missing blob").isEmpty();
          assertThat(report.danglingBlobRecords()).as("blob rows without a file").isEmpty();
          assertThat(report.consistent()).isTrue();
          int now = stores.proxiedEntries();
          assertThat(now)
              .as("killed mid-run: some entries went, not all")
              .isBetween(1, remaining - 1);
          remaining = now;
          assertThat(stores.hostedEntries()).isEqualTo(HOSTED);
          leftBehind = stores.unreferenced();
          Set<String> orphans =
              report.orphanBlobs().stream().map(Sha256::hex).collect(Collectors.toSet());
          // The check's orphans are blob files without a row; blob files whose row is still there
          // but which no entry holds are the garbage collector's too (a kill between deleting the
          // entry and the blob row leaves one of those).
          assertThat(leftBehind).as("the check's orphans are GC's").containsAll(orphans);
          System.out.printf(
              "kill %d: %d proxied entries left; %d blobs unreferenced, %d of them without a row%n",
              kill + 1, remaining, leftBehind.size(), orphans.size());
        }
      }

      try (TestServer server = TestServer.startWithIndexes(data, indexes)) {
        JsonNode dry = result(post(server, "/admin/gc", "{}"));
        assertThat(dry.get("orphanBlobs").asLong())
            .as("GC dry run finds exactly the unreferenced blobs %s", leftBehind)
            .isEqualTo(leftBehind.size());
        JsonNode gc = result(post(server, "/admin/gc", "{\"apply\": true}"));
        assertThat(gc.get("removedBlobs").asLong()).isEqualTo(leftBehind.size());

        // The interrupted prune, run to the end, takes what is left and leaves nothing behind.
        JsonNode prune =
            result(post(server, "/admin/prune", "{\"maxSize\": \"1\", \"apply\": true}"));
        assertThat(prune.get("entriesSelected").asLong()).isEqualTo(remaining);
        assertThat(prune.get("skippedInUse").asLong()).isZero();
        assertThat(result(post(server, "/admin/gc", "{}")).get("orphanBlobs").asLong()).isZero();

        for (Map.Entry<String, String> hosted : store.hosted.entrySet()) {
          HttpResponse<byte[]> file = server.get(hosted.getKey());
          assertThat(file.statusCode()).as(hosted.getKey()).isEqualTo(200);
          assertThat(hex(file.body())).as(hosted.getKey()).isEqualTo(hosted.getValue());
        }
      }
    }

    try (Stores stores = new Stores(data)) {
      ConsistencyReport report = stores.check();
      assertThat(report.consistent()).as(report.toString()).isTrue();
      assertThat(report.orphanBlobs()).isEmpty();
      assertThat(stores.unreferenced()).isEmpty();
      assertThat(stores.proxiedEntries()).isZero();
      assertThat(stores.hostedEntries()).isEqualTo(HOSTED);
      assertThat(stores.blobFiles())
          .as("only the hosted files' blobs are left")
          .isEqualTo(new TreeSet<>(store.hosted.values()));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** One proxied entry, in the key order in which the prune deletes. */
  private record Entry(String project, String filename, String sha256) {}

  /** The store as generated: proxied entries in key order, hosted file URL to sha256. */
  private record Generated(
      List<Entry> proxied, Map<String, Integer> holders, Map<String, String> hosted) {}

  /**
   * Fills {@code data} as a server would have: blob files at their content address, then the
   * metadata. Blob files are written without fsync, which a SIGKILL of the server cannot undo.
   */
  private Generated generate(Path data) throws IOException {
    Random random = new Random(42);
    List<Entry> proxied = new ArrayList<>();
    Map<String, Integer> holders = new HashMap<>();
    Map<String, String> hosted = new java.util.TreeMap<>();
    try (FileBlobStore blobs = FileBlobStore.open(data);
        MetadataStore meta =
            MetadataStore.open(data.resolve("meta"), Clock.fixed(longAgo, ZoneOffset.UTC))) {
      Sha256 previous = null;
      Sha256 sharedWithHosted = null;
      for (int p = 0; p < PROJECTS; p++) {
        String project = String.format("p%04d", p);
        for (int f = 0; f < FILES_PER_PROJECT; f++) {
          String filename = project + "-1." + f + "-py3-none-any.whl";
          int n = proxied.size();
          // Every fifth entry shares the previous one's bytes (the same file in two versions).
          Sha256 sha = n % 5 == 1 ? previous : writeBlob(blobs, randomBytes(random));
          Optional<Sha256> metadata =
              n % 4 == 0
                  ? Optional.of(
                      writeBlob(
                          blobs, ("Name: " + project + "\n").getBytes(StandardCharsets.UTF_8)))
                  : Optional.empty();
          metadata.ifPresent(m -> meta.putBlob(new BlobRecord(m, size(blobs, m), longAgo)));
          meta.putFile(record("pypi", project, filename, sha, size(blobs, sha), metadata), project);
          proxied.add(new Entry(project, filename, sha.hex()));
          holders.merge(sha.hex(), 1, Integer::sum);
          if (n == 7) {
            sharedWithHosted = sha;
          }
          previous = sha;
        }
      }
      for (int h = 0; h < HOSTED; h++) {
        String project = String.format("h%04d", h);
        String filename = project + "-1.0-py3-none-any.whl";
        Sha256 sha = h == 0 ? sharedWithHosted : writeBlob(blobs, randomBytes(random));
        meta.putFile(
            record("local", project, filename, sha, size(blobs, sha), Optional.empty()), project);
        hosted.put("/files/local/" + project + "/" + filename, sha.hex());
        holders.merge(sha.hex(), 1, Integer::sum);
      }
      ConsistencyReport report = ConsistencyCheck.run(meta, blobs);
      assertThat(report.consistent()).isTrue();
      assertThat(report.orphanBlobs()).isEmpty();
    }
    // The generated list must be in the store's key order, the order the prune deletes in.
    List<Entry> ordered = new ArrayList<>(proxied);
    ordered.sort(java.util.Comparator.comparing(Entry::project).thenComparing(Entry::filename));
    assertThat(proxied).isEqualTo(ordered);
    return new Generated(proxied, holders, hosted);
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[200 + random.nextInt(1800)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Writes a blob file at its content address, dated long ago. */
  private Sha256 writeBlob(FileBlobStore blobs, byte[] bytes) throws IOException {
    Sha256 sha = Sha256.digest(bytes);
    Path path = blobs.pathOf(sha);
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
    Files.setLastModifiedTime(path, FileTime.from(longAgo));
    return sha;
  }

  private static long size(FileBlobStore blobs, Sha256 sha) {
    try {
      return Files.size(blobs.pathOf(sha));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private FileRecord record(
      String index,
      String project,
      String filename,
      Sha256 sha,
      long size,
      Optional<Sha256> metadata) {
    return new FileRecord(
        index,
        project,
        filename,
        filename.split("-", -1)[1],
        sha,
        size,
        longAgo,
        Optional.empty(),
        Optional.empty(),
        metadata,
        Map.of());
  }

  /** The proxied entries still in the store, in key order. */
  private static List<Entry> remainingProxied(Path data, Generated store) throws IOException {
    try (Stores stores = new Stores(data)) {
      Set<String> present = new java.util.HashSet<>();
      stores.meta.forEachFile(
          file -> {
            if (file.index().equals("pypi")) {
              present.add(file.filename());
            }
          });
      return store.proxied.stream().filter(e -> present.contains(e.filename())).toList();
    }
  }

  /** The first entry from {@code offset} on whose blob no other entry holds: it goes with it. */
  private static Entry firstUnshared(List<Entry> left, int offset, Generated store) {
    return left.stream()
        .skip(offset)
        .filter(e -> store.holders.get(e.sha256()) == 1)
        .findFirst()
        .orElseThrow();
  }

  /**
   * Starts the server in a child JVM, starts an applied prune, and SIGKILLs the child once the
   * prune has deleted {@code watched}'s blob.
   */
  private void killDuringPrune(Path config, Path data, Entry watched, int round) throws Exception {
    Path portFile = work.resolve("port" + round);
    Path blob;
    try (FileBlobStore blobs = FileBlobStore.open(data)) {
      blob = blobs.pathOf(Sha256.of(watched.sha256()));
    }
    assertThat(blob).exists();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.wheelhouse.server.testing.ChildServer",
                config.toString(),
                portFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("child" + round + ".log").toFile())
            .start();
    try {
      String url = "http://127.0.0.1:" + awaitPort(child, portFile);
      HttpResponse<InputStream> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(url + "/admin/prune"))
                  .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"maxSize\": \"1\", \"apply\": true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        JsonNode first = JSON.readTree(lines.readLine());
        assertThat(first.get("type").asText())
            .as("the first line comes while the prune runs: %s", first)
            .isEqualTo("progress");
        Instant deadline = Instant.now().plus(BOUND);
        while (Files.exists(blob)) {
          assertThat(child.isAlive()).as("child server died").isTrue();
          assertThat(Instant.now()).as("prune reaching %s", watched).isBefore(deadline);
          Thread.onSpinWait();
        }
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not finished").isNotZero();
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static int awaitPort(Process child, Path portFile) throws Exception {
    Instant deadline = Instant.now().plus(BOUND);
    while (!Files.exists(portFile)) {
      assertThat(child.isAlive()).as("child server exited early").isTrue();
      assertThat(Instant.now()).as("child server start").isBefore(deadline);
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(portFile).trim());
  }

  private static String indexesYaml(UpstreamIndex upstream) {
    return "indexes:\n"
        + "  - name: local\n    type: hosted\n"
        + "  - name: pypi\n    type: proxy\n    url: "
        + upstream.simpleUrl()
        + "\n"
        + "  - name: all\n    type: group\n    members: [local, pypi]\n"
        + "default-index: all\nupload:\n  index: local\n";
  }

  private static String authYaml() {
    return "auth:\n"
        + "  anonymous-read: true\n"
        + "  tokens:\n"
        + "    - name: admin\n"
        + "      hash: \""
        + Tokens.hash(TestServer.ADMIN_TOKEN)
        + "\"\n"
        + "      roles: [upload, admin]\n";
  }

  /** The server's stores, opened on its data directory while no server runs. */
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

    int proxiedEntries() {
      return entries("pypi");
    }

    int hostedEntries() {
      return entries("local");
    }

    private int entries(String index) {
      int[] count = {0};
      meta.forEachFile(
          file -> {
            if (file.index().equals(index)) {
              count[0]++;
            }
          });
      return count[0];
    }

    Set<String> blobFiles() throws IOException {
      try (Stream<Sha256> listed = blobs.list()) {
        return listed.map(Sha256::hex).collect(Collectors.toCollection(TreeSet::new));
      }
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

    @Override
    public void close() {
      meta.close();
      blobs.close();
    }
  }

  private static HttpResponse<String> post(TestServer server, String path, String body)
      throws Exception {
    return AdminRequests.post(server.url(), path, body);
  }

  private static JsonNode result(HttpResponse<String> response) throws Exception {
    return AdminRequests.result(response);
  }

  private static String hex(byte[] bytes) throws Exception {
    return HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
