package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.apt.AptRepoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What apt's HTTP method does and expects, sent by hand: conditional and range requests,
 * percent-encoded names, pipelining, and the three ways in, with refusals for everything that is
 * not a configured mirror.
 */
class AptHttpHabitsTest {
  static final String DEB = "pool/main/p/pkg/pkg_1.0+b~1_amd64.deb";
  static final String DEB_ENCODED = "pool/main/p/pkg/pkg_1.0%2Bb%7E1_amd64.deb";
  static final String SPACED = "pool/main/s/s/with space_1.0_amd64.deb";
  static final String IN_RELEASE = "dists/stable/InRelease";

  @TempDir Path tmp;
  AptRepoServer upstream;
  TestServer server;
  final Map<String, byte[]> files = new LinkedHashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    Path root = tmp.resolve("repo");
    write(
        root,
        IN_RELEASE,
        "Origin: test\nSuite: stable\nCodename: stable\n".getBytes(StandardCharsets.UTF_8));
    write(root, DEB, random(100_000, 1));
    write(root, SPACED, random(3_000, 2));
    for (int i = 0; i < 10; i++) {
      write(root, "pool/main/n/n/n" + i + "_1_amd64.deb", random(1_000 + i * 37, 10 + i));
    }
    upstream = AptRepoServer.start(root);
    server =
        TestServer.start(
            tmp.resolve("data"),
            "apt:\n  mirrors:\n    - name: test\n      url: " + upstream.baseUrl() + "\n");
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void rangeRequestsResumeACachedFileAndIfRangeGuardsThem() throws Exception {
    HttpResponse<byte[]> fetched = server.get("/apt/test/" + DEB);
    HttpResponse<byte[]> whole = server.get("/apt/test/" + DEB);
    assertThat(fetched.body()).isEqualTo(files.get(DEB));
    assertThat(whole.body()).isEqualTo(files.get(DEB));
    // The download and the stored file carry one date, so a resume after either works.
    assertThat(fetched.headers().firstValue("Last-Modified"))
        .isEqualTo(whole.headers().firstValue("Last-Modified"));
    String etag = whole.headers().firstValue("ETag").orElseThrow();
    String lastModified = whole.headers().firstValue("Last-Modified").orElseThrow();
    int size = files.get(DEB).length;

    HttpResponse<byte[]> resumed = server.get("/apt/test/" + DEB, "Range", "bytes=60000-");
    assertThat(resumed.statusCode()).isEqualTo(206);
    assertThat(resumed.headers().firstValue("Content-Range"))
        .contains("bytes 60000-" + (size - 1) + "/" + size);
    assertThat(resumed.body()).isEqualTo(java.util.Arrays.copyOfRange(files.get(DEB), 60000, size));

    assertThat(
            server.get("/apt/test/" + DEB, "Range", "bytes=60000-", "If-Range", etag).statusCode())
        .isEqualTo(206);
    assertThat(
            server
                .get("/apt/test/" + DEB, "Range", "bytes=60000-", "If-Range", lastModified)
                .statusCode())
        .isEqualTo(206);
    HttpResponse<byte[]> changed =
        server.get("/apt/test/" + DEB, "Range", "bytes=60000-", "If-Range", "\"something-else\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(files.get(DEB));
  }

  @Test
  void aRangeBeyondTheEndIs416WithTheLength() throws Exception {
    server.get("/apt/test/" + DEB);
    HttpResponse<byte[]> response = server.get("/apt/test/" + DEB, "Range", "bytes=100000-");
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).contains("bytes */100000");
  }

  @Test
  void aRangeOnAFileNotYetCachedGetsTheWholeFileOrTheRightPart() throws Exception {
    HttpResponse<byte[]> response = server.get("/apt/test/" + DEB, "Range", "bytes=500-");
    byte[] expected =
        response.statusCode() == 206
            ? java.util.Arrays.copyOfRange(files.get(DEB), 500, files.get(DEB).length)
            : files.get(DEB);
    assertThat(response.statusCode()).isIn(200, 206);
    assertThat(response.body()).isEqualTo(expected);
  }

  @Test
  void ifModifiedSinceAnswers304ForAnUnchangedIndex() throws Exception {
    HttpResponse<byte[]> first = server.get("/apt/test/" + IN_RELEASE);
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

    HttpResponse<byte[]> same =
        server.get("/apt/test/" + IN_RELEASE, "If-Modified-Since", lastModified);
    HttpResponse<byte[]> older =
        server.get("/apt/test/" + IN_RELEASE, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT");

    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(older.statusCode()).isEqualTo(200);
    assertThat(older.body()).isEqualTo(files.get(IN_RELEASE));
  }

  @Test
  void percentEncodedAndLiteralNamesAreOneCacheEntry() throws Exception {
    HttpResponse<byte[]> encoded = server.get("/apt/test/" + DEB_ENCODED);
    HttpResponse<byte[]> literal = server.get("/apt/test/" + DEB);
    HttpResponse<byte[]> lowercase =
        server.get("/apt/test/" + DEB_ENCODED.replace("%2B", "%2b").replace("%7E", "%7e"));
    HttpResponse<byte[]> spaced = server.get("/apt/test/pool/main/s/s/with%20space_1.0_amd64.deb");

    assertThat(encoded.body()).isEqualTo(files.get(DEB));
    assertThat(literal.body()).isEqualTo(files.get(DEB));
    assertThat(lowercase.body()).isEqualTo(files.get(DEB));
    assertThat(spaced.body()).isEqualTo(files.get(SPACED));
    assertThat(upstream.requests(DEB)).isEqualTo(1);
    assertThat(upstream.requests(SPACED)).isEqualTo(1);
  }

  @Test
  void concurrentClientsOfAnUncachedFileShareOneUpstreamDownload() throws Exception {
    upstream.throttle(200_000); // so that the download is still running when the others ask
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> downloads =
        new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      downloads.add(
          client.sendAsync(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(server.url() + "/apt/test/" + DEB))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (var download : downloads) {
      assertThat(download.get().statusCode()).isEqualTo(200);
      assertThat(download.get().body()).isEqualTo(files.get(DEB));
    }
    assertThat(upstream.requests(DEB)).isEqualTo(1);
    // Not only cache hits after the first download: some clients joined it while it ran.
    java.util.regex.Matcher joined =
        java.util.regex.Pattern.compile("wheelhouse_proxy_coalesced_total ([0-9.E]+)")
            .matcher(new String(server.get("/metrics").body(), StandardCharsets.UTF_8));
    assertThat(joined.find()).isTrue();
    assertThat(Double.parseDouble(joined.group(1))).isPositive();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      paths.add("pool/main/n/n/n" + ((i * 7) % 10) + "_1_amd64.deb");
    }
    // Half of them cached, half not: misses take longer, and must not overtake anything.
    for (int i = 0; i < 10; i += 2) {
      server.get("/apt/test/" + paths.get(i));
    }
    StringBuilder pipeline = new StringBuilder();
    for (String path : paths) {
      pipeline.append("GET /apt/test/").append(path).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      for (String path : paths) {
        RawResponse response = RawResponse.read(in);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).as(path).isEqualTo(files.get(path));
      }
    }
  }

  @Test
  void pipelinedDownloadsOfLargeUncachedFilesArriveIntactAndInOrder() throws Exception {
    Path root = upstream.root();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // Above the 1 MiB a download is held back for: these stream while they arrive.
      String path = "pool/main/b/big/big" + i + "_1+x~y_amd64.deb";
      write(root, path, random(1_100_000 + i * 150_000, 100 + i));
      paths.add(path);
    }
    upstream.throttle(40_000_000);
    StringBuilder pipeline = new StringBuilder();
    for (String path : paths) {
      String encoded = path.replace("+", "%2b").replace("~", "%7e");
      pipeline.append("GET /apt/test/").append(encoded).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      for (String path : paths) {
        RawResponse response = RawResponse.read(in);
        assertThat(response.status()).as(path).isEqualTo(200);
        assertThat(response.body()).as(path).isEqualTo(files.get(path));
      }
    }
  }

  @Test
  void aDownloadFailingAfterItsHeadersEndsTheConnectionShortOfItsLength() throws Exception {
    // Its by-hash name says one digest, its bytes have another; 3 MB, so headers go out first.
    String wrong = "dists/stable/main/binary-amd64/by-hash/SHA256/" + "ab".repeat(32);
    byte[] bytes = random(3_000_000, 42);
    write(upstream.root(), wrong, bytes);
    upstream.throttle(10_000_000);
    String pipeline =
        "GET /apt/test/"
            + wrong
            + " HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /apt/test/"
            + IN_RELEASE
            + " HTTP/1.1\r\nHost: x\r\n\r\n";
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(pipeline.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] all = socket.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int bodyStart = text.indexOf("\r\n\r\n") + 4;

      assertThat(text).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 3000000");
      // Never the whole length, never a next response on the same connection: a client cannot
      // take it for a complete file, nor read the next response out of step.
      assertThat(all.length - bodyStart).isLessThan(bytes.length);
      assertThat(text.indexOf("HTTP/1.1", bodyStart)).isEqualTo(-1);
    }
    assertThat(new String(server.get("/metrics").body(), StandardCharsets.UTF_8))
        .contains("wheelhouse_apt_verification_failures_total{mirror=\"test\"} 1.0");
  }

  @Test
  void hostStyleRequestsForAnUnconfiguredHostAreRefused() throws Exception {
    HttpResponse<byte[]> response = server.get("/evil.example.com/debian/dists/stable/InRelease");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("evil.example.com is not the host of a configured apt mirror");
  }

  @Test
  void forwardProxyRequestsAreServedForConfiguredMirrorsOnly() throws Exception {
    String configured = "http://127.0.0.1:" + upstream.port() + "/" + IN_RELEASE;
    RawResponse served =
        raw("GET " + configured + " HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port() + "\r\n\r\n");
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(files.get(IN_RELEASE));

    RawResponse otherHost =
        raw("GET http://evil.example.com/x HTTP/1.1\r\nHost: evil.example.com\r\n\r\n");
    assertThat(otherHost.status()).isEqualTo(403);
    assertThat(otherHost.text()).contains("not an open proxy");

    RawResponse otherPort =
        raw("GET http://127.0.0.1:" + port() + "/metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(otherPort.status()).isEqualTo(403);

    RawResponse connect =
        raw("CONNECT evil.example.com:443 HTTP/1.1\r\nHost: evil.example.com:443\r\n\r\n");
    assertThat(connect.status()).isEqualTo(403);
    assertThat(connect.text()).contains("CONNECT is not supported");

    RawResponse post =
        raw("POST " + configured + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(post.status()).isEqualTo(405);
    assertThat(upstream.requestLog()).noneMatch(line -> line.contains("evil"));
  }

  @Test
  void anUnknownMirrorNameIs404NamingTheConfiguredOnes() throws Exception {
    HttpResponse<byte[]> response = server.get("/apt/nope/dists/stable/InRelease");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("configured: test");
  }

  @Test
  void metricsCountHitsMissesAndBytesPerMirror() throws Exception {
    server.get("/apt/test/" + DEB);
    server.get("/apt/test/" + DEB);

    String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("wheelhouse_apt_requests_total{mirror=\"test\",result=\"hit\"} 1.0")
        .contains("wheelhouse_apt_requests_total{mirror=\"test\",result=\"miss\"} 1.0")
        .contains("wheelhouse_apt_upstream_bytes_total{mirror=\"test\"} 100000.0")
        .contains("wheelhouse_apt_served_bytes_total{mirror=\"test\"}");
  }

  private int port() {
    return java.net.URI.create(server.url()).getPort();
  }

  private RawResponse raw(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return RawResponse.read(socket.getInputStream());
    }
  }

  private void write(Path root, String path, byte[] bytes) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    files.put(path, bytes);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** One HTTP/1.1 response read off a socket: status line, headers, Content-Length body. */
  @SuppressWarnings("ArrayRecordComponent") // test data, compared by content in assertions
  record RawResponse(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    static RawResponse read(InputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ", -1)[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new RawResponse(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          out.write(c);
        }
      }
      return out.toString(StandardCharsets.US_ASCII);
    }
  }
}
