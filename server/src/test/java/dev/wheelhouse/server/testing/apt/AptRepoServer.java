package dev.wheelhouse.server.testing.apt;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP/1.1 static file server on 127.0.0.1 and a free port (JDK {@link HttpServer}, a few
 * threads) serving an {@link AptRepo}'s root the way a Debian mirror does, recording every request
 * with its headers.
 *
 * <p>Serving: GET and HEAD (405 otherwise); 200 with Content-Length, Content-Type, Last-Modified, a
 * strong ETag (from size and modification time, as nginx does), Accept-Ranges; If-None-Match, else
 * If-Modified-Since (whole seconds), give 304; one {@code Range} gives 206 with Content-Range (416
 * {@code bytes *}/len when unsatisfiable; If-Range compared with the ETag or the exact
 * Last-Modified date); 404 for missing files, directories and the fixtures' temporary files. The
 * request path is percent-decoded ({@code %2B} is {@code +}, {@code %7E} is {@code ~}, {@code %20}
 * a space; a literal {@code +} stays {@code +}); a {@code .} or {@code ..} segment, a backslash or
 * a NUL is refused with 400, bad percent-encoding too.
 *
 * <p>Paths in the counting methods are relative to the root, decoded, with or without the leading
 * slash: {@code requests("dists/stable/InRelease")}. Every exchange is recorded before its response
 * is sent, so by the time a client has seen a response the counters include it.
 */
public final class AptRepoServer implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** The request headers {@link #formattedLog()} shows, in this order, when present. */
  public static final List<String> LOGGED_HEADERS =
      List.of(
          "Host",
          "Connection",
          "Cache-Control",
          "Pragma",
          "If-Modified-Since",
          "If-None-Match",
          "Range",
          "If-Range",
          "Accept",
          "Accept-Encoding",
          "User-Agent");

  private final Path root;
  private final String mount; // "" or "debian/": where the root appears in URLs
  private final ExecutorService executor;
  private final List<Exchange> exchanges = new ArrayList<>();
  private final Map<String, byte[]> substitutes = new ConcurrentHashMap<>();
  private final AtomicInteger failRemaining = new AtomicInteger();
  private volatile int failStatus;
  private volatile long bytesPerSecond; // 0: unthrottled
  private final int port;
  private HttpServer server; // null while stopped

  private AptRepoServer(Path root, String mount) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.mount = mount;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "apt-repo-server-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  /** Serves {@code repo.root()}. */
  public static AptRepoServer start(AptRepo repo) throws IOException {
    return start(repo.root());
  }

  /** Serves the files under {@code root}. */
  public static AptRepoServer start(Path root) throws IOException {
    return start(root, "");
  }

  /**
   * Serves {@code repo.root()} under {@code mountPath}, like a mirror's {@code /debian/}: {@code
   * start(repo, "debian")} answers {@code /debian/dists/stable/InRelease} from {@code
   * dists/stable/InRelease} and 404s paths outside {@code /debian/}. The counting methods still
   * take paths relative to the repository root.
   */
  public static AptRepoServer start(AptRepo repo, String mountPath) throws IOException {
    return start(repo.root(), mountPath);
  }

  /**
   * Serves the files under {@code root} under {@code mountPath}; see {@link #start(AptRepo,
   * String)}.
   */
  public static AptRepoServer start(Path root, String mountPath) throws IOException {
    String m = mountPath.replaceAll("^/+|/+$", "");
    if (!m.isEmpty() && !safe(m)) {
      throw new IllegalArgumentException("bad mount path: " + mountPath);
    }
    return new AptRepoServer(Objects.requireNonNull(root), m.isEmpty() ? "" : m + "/");
  }

  /** The directory served. */
  public Path root() {
    return root;
  }

  /** The port, the same across {@link #stop()} and {@link #restart()}. */
  public int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:PORT/} (plus the mount path, if any), with the trailing slash: the URL
   * of the repository root, what goes in a {@code deb} line.
   */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port + "/" + mount);
  }

  /** GETs (whatever their status) of exactly {@code relativePath}, decoded. */
  public int requests(String relativePath) {
    String path = relative(relativePath);
    return count(e -> e.method.equals("GET") && e.path.equals(path));
  }

  /** Exchanges with method {@code method} (GET, HEAD, ...) of exactly {@code relativePath}. */
  public int requests(String method, String relativePath) {
    String path = relative(relativePath);
    return count(e -> e.method.equals(method) && e.path.equals(path));
  }

  /** GETs of paths starting with {@code prefix} (relative, decoded), e.g. {@code "pool/"}. */
  public int requestsUnder(String prefix) {
    String p = relative(prefix);
    return count(e -> e.method.equals("GET") && e.path.startsWith(p));
  }

  /** GETs of paths ending with {@code suffix} (decoded), e.g. {@code "_amd64.deb"}. */
  public int fileGets(String suffix) {
    return count(e -> e.method.equals("GET") && e.path.endsWith(suffix));
  }

  /** All exchanges since start or {@link #resetCounters()}. */
  public int totalRequests() {
    synchronized (exchanges) {
      return exchanges.size();
    }
  }

  /**
   * One line per exchange, oldest first: method, decoded path (with its leading slash) and status,
   * e.g. {@code "GET /dists/stable/InRelease 200"}.
   */
  public List<String> requestLog() {
    List<String> lines = new ArrayList<>();
    for (Exchange e : exchanges()) {
      lines.add(e.method + (e.path.startsWith("/") ? " " : " /") + e.path + " " + e.status);
    }
    return lines;
  }

  /** Every exchange with its request headers, oldest first. */
  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * The exchanges as text for failure messages and reports: one line per exchange with the raw
   * (undecoded) request target, the status and the {@link #LOGGED_HEADERS} that were sent.
   */
  public String formattedLog() {
    StringBuilder out = new StringBuilder();
    for (Exchange e : exchanges()) {
      out.append(e).append('\n');
    }
    return out.toString();
  }

  /** Forgets the recorded exchanges. */
  public void resetCounters() {
    synchronized (exchanges) {
      exchanges.clear();
    }
  }

  /**
   * Sends file bodies at about {@code bytesPerSecond} (0: as fast as possible), like a slow mirror:
   * a download then lasts long enough for other clients to ask for the same file meanwhile.
   */
  public void throttle(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("negative rate: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  private static void pace(long rate, long done, long startedNanos) throws IOException {
    if (rate <= 0) {
      return;
    }
    long dueNanos = startedNanos + done * 1_000_000_000L / rate;
    long waitMillis = (dueNanos - System.nanoTime()) / 1_000_000;
    if (waitMillis > 0) {
      try {
        Thread.sleep(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pacing", e);
      }
    }
  }

  /**
   * The next {@code count} exchanges (recorded as usual) are answered {@code status} with a short
   * text body, whatever they ask for.
   */
  public void failNext(int count, int status) {
    if (count < 0 || status < 100 || status > 599) {
      throw new IllegalArgumentException("count " + count + ", status " + status);
    }
    failStatus = status;
    failRemaining.set(count);
  }

  /**
   * From now on {@code relativePath} is answered with {@code body} instead of the file's bytes
   * (200, Content-Length of {@code body}, the file's Last-Modified and ETag when it exists): a
   * corrupted or truncated download. Range requests for it get the whole substitute.
   */
  public void serveInstead(String relativePath, byte[] body) {
    substitutes.put(relative(relativePath), body.clone());
  }

  /** Serves {@code relativePath} from the file again. */
  public void serveNormally(String relativePath) {
    substitutes.remove(relative(relativePath));
  }

  /** Stops listening (connections refused) and drops open connections. Idempotent. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port. Idempotent. */
  public synchronized void restart() throws IOException {
    if (server == null) {
      server = bind(port);
    }
  }

  /** Whether it is listening. */
  public synchronized boolean running() {
    return server != null;
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One recorded exchange.
   *
   * @param method the request method
   * @param rawTarget the request target as sent, percent-encoded as the client encoded it: a path,
   *     or an absolute URI when the client took this server for a proxy
   * @param path the decoded path relative to the repository root (no leading slash, mount path
   *     removed); for a path outside the mount path, the whole decoded path with its leading slash;
   *     the raw path when it could not be decoded
   * @param status the response status
   * @param headers the request headers, names as sent (case-insensitive lookup with {@link
   *     #header})
   */
  public record Exchange(
      String method, String rawTarget, String path, int status, Map<String, String> headers) {
    /** The value of request header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      StringBuilder line =
          new StringBuilder(method).append(' ').append(rawTarget).append(" -> ").append(status);
      for (String name : LOGGED_HEADERS) {
        String value = header(name);
        if (value != null) {
          line.append(" | ").append(name).append(": ").append(value);
        }
      }
      return line.toString();
    }
  }

  private int count(Predicate<Exchange> test) {
    synchronized (exchanges) {
      int n = 0;
      for (Exchange e : exchanges) {
        if (test.test(e)) {
          n++;
        }
      }
      return n;
    }
  }

  private static String relative(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  private HttpServer bind(int wanted) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted);
    for (int attempt = 0; ; attempt++) {
      try {
        HttpServer s = HttpServer.create(address, 128);
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        return s;
      } catch (BindException e) {
        // A just-closed listener on the same port can linger for a moment.
        if (wanted == 0 || attempt >= 50) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (IOException | RuntimeException e) {
      // The client went away, or the server was stopped mid-response.
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawTarget = exchange.getRequestURI().getRawPath();
    if (rawTarget == null || rawTarget.isEmpty()) {
      rawTarget = "/";
    }
    String target = exchange.getRequestURI().toString();
    String decoded = decode(rawTarget);
    String path = relative(decoded == null ? rawTarget : decoded);
    boolean mounted = path.startsWith(mount);
    if (mounted) {
      path = path.substring(mount.length());
    } else {
      path = "/" + path; // outside the mount: never equal to a path relative to the root
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      headers.put(h.getKey(), String.join(", ", h.getValue()));
    }

    if (failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      int status = failStatus;
      record(method, target, path, status, headers);
      text(exchange, status, "injected failure\n");
      return;
    }
    if (decoded == null || !safe(path)) {
      record(method, target, path, 400, headers);
      text(exchange, 400, "bad path\n");
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      record(method, target, path, 405, headers);
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      text(exchange, 405, "method not allowed\n");
      return;
    }
    Path file = root.resolve(path).normalize();
    byte[] substitute = substitutes.get(path);
    boolean exists =
        mounted
            && file.startsWith(root)
            && Files.isRegularFile(file)
            && !(file.getFileName().toString().startsWith(".")
                && file.getFileName().toString().endsWith(".tmp"));
    if (!mounted || (!exists && substitute == null)) {
      record(method, target, path, 404, headers);
      text(exchange, 404, "not found\n");
      return;
    }

    long length;
    Instant modified;
    String etag;
    if (exists) {
      length = Files.size(file);
      modified = Files.getLastModifiedTime(file).toInstant();
      etag =
          "\""
              + Long.toHexString(modified.truncatedTo(ChronoUnit.SECONDS).getEpochSecond())
              + "-"
              + Long.toHexString(length)
              + "\"";
    } else {
      length = substitute.length;
      modified = Instant.now();
      etag = "\"substitute-" + Long.toHexString(substitute.length) + "\"";
    }
    String lastModified = HTTP_DATE.format(modified);
    Headers in = exchange.getRequestHeaders();
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", contentType(path));
    out.set("Last-Modified", lastModified);
    out.set("ETag", etag);
    out.set("Accept-Ranges", "bytes");
    if (notModified(in, etag, modified)) {
      record(method, target, path, 304, headers);
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    if (substitute != null) {
      record(method, target, path, 200, headers);
      out.set("Content-Length", Long.toString(substitute.length));
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, substitute.length == 0 ? -1 : substitute.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(substitute);
      }
      return;
    }

    long start = 0;
    long count = length;
    int status = 200;
    String range = in.getFirst("Range");
    String ifRange = in.getFirst("If-Range");
    if (range != null
        && (ifRange == null || ifRange.equals(etag) || ifRange.trim().equals(lastModified))) {
      long[] r = parseRange(range, length);
      if (r != null && r.length == 0) {
        record(method, target, path, 416, headers);
        out.set("Content-Range", "bytes */" + length);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      if (r != null) {
        start = r[0];
        count = r[1] - r[0] + 1;
        status = 206;
        out.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + length);
      }
    }
    record(method, target, path, status, headers);
    out.set("Content-Length", Long.toString(count));
    if (method.equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, count == 0 ? -1 : count);
    if (count == 0) {
      return;
    }
    try (InputStream body = Files.newInputStream(file);
        OutputStream os = exchange.getResponseBody()) {
      body.skipNBytes(start);
      long rate = bytesPerSecond;
      byte[] buffer = new byte[rate > 0 ? 8 * 1024 : 64 * 1024];
      long done = 0;
      long started = System.nanoTime();
      while (done < count) {
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, count - done));
        if (n < 0) {
          throw new IOException("file shrank while serving");
        }
        os.write(buffer, 0, n);
        os.flush();
        done += n;
        pace(rate, done, started);
      }
    }
  }

  private void record(
      String method, String target, String path, int status, Map<String, String> headers) {
    Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(headers);
    Exchange e = new Exchange(method, target, path, status, Collections.unmodifiableMap(sorted));
    synchronized (exchanges) {
      exchanges.add(e);
    }
  }

  private static boolean notModified(Headers in, String etag, Instant modified) {
    String inm = in.getFirst("If-None-Match");
    if (inm != null) {
      for (String tag : inm.split(",", -1)) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(etag)) {
          return true;
        }
      }
      return false;
    }
    String ims = in.getFirst("If-Modified-Since");
    if (ims == null) {
      return false;
    }
    try {
      Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ims.trim()));
      return !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** {start, end} inclusive; {} when unsatisfiable; null when absent, malformed or multiple. */
  private static long[] parseRange(String header, long length) {
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      return null;
    }
    String spec = h.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix == 0 || length == 0) {
          return new long[0];
        }
        return new long[] {Math.max(0, length - suffix), length - 1};
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
      if (start >= length) {
        return new long[0];
      }
      if (end < start) {
        return null;
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Percent-decodes a raw path (UTF-8); '+' stays '+'. Null on bad encoding. */
  static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean safe(String path) {
    if (path.contains("\\") || path.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static String contentType(String path) {
    if (path.endsWith(".deb")) {
      return "application/vnd.debian.binary-package";
    } else if (path.endsWith(".gz")) {
      return "application/gzip";
    } else if (path.endsWith(".xz")) {
      return "application/x-xz";
    } else if (path.endsWith(".gpg")) {
      return "application/pgp-signature";
    } else if (path.endsWith("/Release")
        || path.endsWith("/InRelease")
        || path.endsWith("/Packages")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
