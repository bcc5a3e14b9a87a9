package dev.wheelhouse.server.testing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real upstream package index on 127.0.0.1 (JDK {@link HttpServer}, free port) serving an {@link
 * UpstreamTree} the way PyPI or download.pytorch.org do, and counting what reaches it.
 *
 * <p>URLs ({@code P} = {@link Options#pathPrefix}, "/simple" by default):
 *
 * <ul>
 *   <li>{@code P/}: the project list; {@code P} without slash redirects (301) to {@code P/}.
 *   <li>{@code P/<project>/}: the project page. PEP 691 negotiation by Accept q-values between
 *       {@code text/html} (preferred on ties and for no Accept), {@code
 *       application/vnd.pypi.simple.v1+html} and {@code application/vnd.pypi.simple.v1+json}; 406
 *       when none is acceptable; {@code Vary: Accept}. With {@code jsonEnabled(false)} every page
 *       is {@code text/html} whatever the Accept (download.pytorch.org). Strong ETag (sha256 of the
 *       bytes) and Last-Modified; If-None-Match / If-Modified-Since give 304. {@code P/<project>}
 *       redirects (301) to the slash form, a non-normalized name redirects (301) to the normalized
 *       one, an unknown project is 404 (403 with {@code forbidUnknownProjects}).
 *   <li>{@code <anything>/files/<filename>}: a file of {@code tree.root()/files}, so relative,
 *       root-relative and absolute links all reach it whatever the prefix. 200 with Content-Length,
 *       {@code application/octet-stream}, Accept-Ranges, ETag and Last-Modified; HEAD; one {@code
 *       Range} (206 with Content-Range, 416 with {@code bytes *}/len when unsatisfiable, If-Range
 *       honoured; several ranges get the whole file); If-None-Match gives 304.
 * </ul>
 *
 * <p>Paths are percent-decoded segment by segment; '+' stays '+', so {@code a+b.whl} and {@code
 * a%2Bb.whl} are the same file. Every exchange is counted (under its decoded path) and logged
 * before it is answered.
 */
public final class UpstreamIndex implements AutoCloseable {
  static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
  static final String HTML_V1_TYPE = "application/vnd.pypi.simple.v1+html";
  static final String HTML_TYPE = "text/html";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final UpstreamTree tree;
  private final Options options;
  private final ExecutorService executor;
  private final Map<String, AtomicInteger> pathCounts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> fileCounts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> fileBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> fileCompleted = new ConcurrentHashMap<>();
  private final List<String> log = new ArrayList<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger activeDownloads = new AtomicInteger();
  private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
  private final Map<Path, String[]> etagCache = new ConcurrentHashMap<>();
  private final AtomicInteger failRemaining = new AtomicInteger();
  private volatile int failStatus;
  private volatile long bytesPerSecond;
  private final int port;
  private HttpServer server; // null while stopped

  private UpstreamIndex(UpstreamTree tree, Options options) throws IOException {
    this.tree = tree;
    this.options = options;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "upstream-index-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  /** Serves {@code tree} with default {@link Options}. */
  public static UpstreamIndex start(UpstreamTree tree) throws IOException {
    return start(tree, Options.defaults());
  }

  public static UpstreamIndex start(UpstreamTree tree, Options options) throws IOException {
    return new UpstreamIndex(Objects.requireNonNull(tree), Objects.requireNonNull(options));
  }

  public UpstreamTree tree() {
    return tree;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** {@code baseUrl() + pathPrefix + "/"}, e.g. {@code http://127.0.0.1:PORT/simple/}. */
  public URI simpleUrl() {
    return URI.create(baseUrl() + options.pathPrefix + "/");
  }

  /** The URL of a project's page, {@code simpleUrl() + normalized + "/"}. */
  public URI projectUrl(String project) {
    return simpleUrl().resolve(UpstreamTree.normalize(project) + "/");
  }

  /** {@code baseUrl() + "/files/" + filename} ('+' left as is). */
  public URI fileUrl(String filename) {
    return URI.create(baseUrl() + "/files/" + UpstreamTree.encodeSegment(filename, true));
  }

  /**
   * Exchanges (any method) whose percent-decoded path, without query, is exactly {@code path}:
   * {@code /simple/foo} and {@code /simple/foo/} are counted apart, {@code /files/a%2Bb.whl} and
   * {@code /files/a+b.whl} together.
   */
  public int requests(String path) {
    AtomicInteger n = pathCounts.get(path);
    return n == null ? 0 : n.get();
  }

  /** Exchanges (any method) for {@code <anything>/files/<filename>}. */
  public int fileRequests(String filename) {
    AtomicInteger n = fileCounts.get(filename);
    return n == null ? 0 : n.get();
  }

  /** All exchanges since start (or {@link #resetCounters()}). */
  public int totalRequests() {
    return total.get();
  }

  /**
   * Body bytes of {@code filename} written to clients so far, over all responses (a chunk counts
   * once written and flushed to the connection, whether or not the client read it).
   */
  public long fileBytesSent(String filename) {
    AtomicLong n = fileBytes.get(filename);
    return n == null ? 0 : n.get();
  }

  /**
   * Responses for {@code filename} whose whole body (or range) was written; final by the time a
   * client has read the last byte.
   */
  public int completedFileResponses(String filename) {
    AtomicInteger n = fileCompleted.get(filename);
    return n == null ? 0 : n.get();
  }

  /**
   * File bodies being written right now. A download ends a moment after its last byte, or after the
   * client went away (the next write fails): poll for 0 rather than expecting it at once.
   */
  public int activeDownloads() {
    return activeDownloads.get();
  }

  /** {@code "GET /simple/foo/ accept=..."} per exchange (raw path and query), oldest first. */
  public List<String> requestLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Forgets counts, bytes and the log. */
  public void resetCounters() {
    pathCounts.clear();
    fileCounts.clear();
    fileBytes.clear();
    fileCompleted.clear();
    total.set(0);
    synchronized (log) {
      log.clear();
    }
  }

  /**
   * From now on {@code filename} is served altered: same length, same headers (ETag included), a
   * few bytes flipped (at 0, len/3, len/2 and len-1).
   */
  public void corrupt(String filename) {
    corrupted.add(filename);
  }

  /** Serves {@code filename} intact again. */
  public void repair(String filename) {
    corrupted.remove(filename);
  }

  /**
   * Files are written in small chunks (flushed) at about this rate; 0 = unthrottled. Applies to
   * responses that start after the call.
   */
  public void throttle(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("negative rate");
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  /** The next {@code count} exchanges (counted as usual) are answered {@code status}, no body. */
  public void failNext(int count, int status) {
    failStatus = status;
    failRemaining.set(count);
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
      handleCounted(exchange);
    } catch (IOException | RuntimeException e) {
      // The client went away, or the server was stopped mid-response.
    } finally {
      exchange.close();
    }
  }

  private void handleCounted(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
    Headers in = exchange.getRequestHeaders();
    StringBuilder line =
        new StringBuilder(method)
            .append(' ')
            .append(uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery())
            .append(" accept=")
            .append(in.getFirst("Accept"));
    for (String h : List.of("Range", "If-Range", "If-None-Match", "If-Modified-Since")) {
      if (in.containsKey(h)) {
        line.append(' ').append(h.toLowerCase(Locale.ROOT)).append('=').append(in.getFirst(h));
      }
    }
    synchronized (log) {
      log.add(line.toString());
    }
    total.incrementAndGet();
    List<String> segments = decodeSegments(rawPath);
    String path = segments == null ? rawPath : "/" + String.join("/", segments);
    pathCounts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    String filename = fileName(segments);
    if (filename != null) {
      fileCounts.computeIfAbsent(filename, k -> new AtomicInteger()).incrementAndGet();
    }

    if (failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      empty(exchange, failStatus);
      return;
    }
    if (segments == null) {
      text(exchange, 400, "bad percent-encoding\n");
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      text(exchange, 405, "method not allowed\n");
      return;
    }
    String prefix = options.pathPrefix;
    if (path.equals(prefix) && !prefix.isEmpty()) {
      redirect(exchange, prefix + "/");
      return;
    }
    if (path.startsWith(prefix + "/")) {
      String rest = path.substring(prefix.length() + 1);
      if (rest.isEmpty()) {
        page(exchange, tree.simpleDir());
        return;
      }
      boolean slash = rest.endsWith("/");
      String name = slash ? rest.substring(0, rest.length() - 1) : rest;
      if (!name.isEmpty() && !name.contains("/") && (filename == null || !rest.equals(name))) {
        project(exchange, name, slash);
        return;
      }
    }
    if (filename != null) {
      file(exchange, filename);
      return;
    }
    text(exchange, 404, "not found\n");
  }

  private void project(HttpExchange exchange, String name, boolean slash) throws IOException {
    String normalized = UpstreamTree.normalize(name);
    Path dir = tree.simpleDir().resolve(normalized);
    boolean known =
        !normalized.isEmpty()
            && !normalized.equals(".")
            && !normalized.equals("..")
            && !normalized.contains("\\")
            && Files.isRegularFile(dir.resolve("index.html"));
    if (!known) {
      if (options.forbidUnknownProjects) {
        text(exchange, 403, "forbidden\n");
      } else {
        text(exchange, 404, "not found\n");
      }
      return;
    }
    if (!slash || !normalized.equals(name)) {
      redirect(exchange, options.pathPrefix + "/" + normalized + "/");
      return;
    }
    page(exchange, dir);
  }

  private void page(HttpExchange exchange, Path dir) throws IOException {
    Headers out = exchange.getResponseHeaders();
    String type = HTML_TYPE;
    if (options.jsonEnabled) {
      out.set("Vary", "Accept");
      type = negotiate(exchange.getRequestHeaders().get("Accept"));
      if (type == null) {
        text(
            exchange,
            406,
            "none of " + HTML_TYPE + ", " + HTML_V1_TYPE + ", " + JSON_TYPE + " is acceptable\n");
        return;
      }
    }
    Path file = dir.resolve(type.equals(JSON_TYPE) ? "index.json" : "index.html");
    byte[] body;
    Instant modified;
    try {
      modified = Files.getLastModifiedTime(file).toInstant();
      body = Files.readAllBytes(file);
    } catch (IOException e) {
      text(exchange, 404, "not found\n");
      return;
    }
    String etag = "\"" + UpstreamTree.hex(UpstreamTree.sha256(body)) + "\"";
    out.set("Content-Type", type.equals(HTML_TYPE) ? "text/html; charset=utf-8" : type);
    out.set("ETag", etag);
    out.set("Last-Modified", HTTP_DATE.format(modified));
    out.set("Cache-Control", "max-age=600, public");
    if (notModified(exchange.getRequestHeaders(), etag, modified)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    send(exchange, 200, body);
  }

  /** PEP 691 negotiation; null when nothing offered is acceptable. */
  static String negotiate(List<String> acceptHeaders) {
    List<String[]> ranges = new ArrayList<>(); // {type, q}
    if (acceptHeaders == null || acceptHeaders.isEmpty()) {
      ranges.add(new String[] {"*/*", "1"});
    } else {
      for (String header : acceptHeaders) {
        for (String part : header.split(",", -1)) {
          String[] params = part.split(";", -1);
          String type = params[0].trim().toLowerCase(Locale.ROOT);
          if (type.isEmpty()) {
            continue;
          }
          String q = "1";
          for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("q=")) {
              q = p.substring(2).trim();
            }
          }
          ranges.add(new String[] {type, q});
        }
      }
    }
    String best = null;
    double bestQ = 0;
    for (String offer : List.of(HTML_TYPE, HTML_V1_TYPE, JSON_TYPE)) {
      double q = quality(offer, ranges);
      if (q > bestQ) {
        best = offer;
        bestQ = q;
      }
    }
    return best;
  }

  private static double quality(String offer, List<String[]> ranges) {
    int bestSpecificity = -1;
    double q = 0;
    for (String[] range : ranges) {
      String type = range[0];
      int specificity;
      if (type.equals(offer)) {
        specificity = 2;
      } else if (type.endsWith("/*")
          && offer.startsWith(type.substring(0, type.length() - 1))
          && !type.equals("*/*")) {
        specificity = 1;
      } else if (type.equals("*/*") || type.equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        try {
          q = Double.parseDouble(range[1]);
        } catch (NumberFormatException e) {
          q = 0;
        }
      }
    }
    return q;
  }

  private void file(HttpExchange exchange, String filename) throws IOException {
    Path file = tree.filesDir().resolve(filename);
    if (filename.endsWith(".tmp") || !Files.isRegularFile(file)) {
      text(exchange, 404, "not found\n");
      return;
    }
    long length = Files.size(file);
    Instant modified = Files.getLastModifiedTime(file).toInstant();
    String etag = fileEtag(file, length, modified);
    Headers in = exchange.getRequestHeaders();
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "application/octet-stream");
    out.set("Accept-Ranges", "bytes");
    out.set("ETag", etag);
    out.set("Last-Modified", HTTP_DATE.format(modified));
    out.set("Cache-Control", "max-age=365000000, immutable, public");
    if (notModified(in, etag, modified)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    long start = 0;
    long count = length;
    int status = 200;
    String range = in.getFirst("Range");
    String ifRange = in.getFirst("If-Range");
    if (range != null && (ifRange == null || ifRangeMatches(ifRange, etag, modified))) {
      long[] r = parseRange(range, length);
      if (r != null && r.length == 0) {
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
    out.set("Content-Length", Long.toString(count));
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, count == 0 ? -1 : count);
    if (count == 0) {
      countCompleted(filename);
      return;
    }
    stream(exchange, file, filename, length, start, count);
  }

  private void stream(
      HttpExchange exchange, Path file, String filename, long length, long start, long count)
      throws IOException {
    long rate = bytesPerSecond;
    boolean corrupt = corrupted.contains(filename);
    long[] flips = {0, length / 3, length / 2, length - 1};
    AtomicLong sent = fileBytes.computeIfAbsent(filename, k -> new AtomicLong());
    int chunk = rate == 0 ? 64 * 1024 : (int) Math.max(256, Math.min(16 * 1024, rate / 16));
    activeDownloads.incrementAndGet();
    try (InputStream body = Files.newInputStream(file);
        OutputStream out = exchange.getResponseBody()) {
      body.skipNBytes(start);
      byte[] buffer = new byte[chunk];
      long done = 0;
      long began = System.nanoTime();
      while (done < count) {
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, count - done));
        if (n < 0) {
          throw new IOException("file shrank while serving");
        }
        if (corrupt) {
          for (long flip : flips) {
            long at = flip - start - done;
            if (at >= 0 && at < n) {
              buffer[(int) at] ^= (byte) 0x5a;
            }
          }
        }
        if (rate > 0) {
          long due = began + done * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted", e);
            }
          }
        }
        // Counted before the bytes can reach the client, so that a client that has read the
        // whole body sees the counters final; taken back if the write fails.
        boolean last = done + n >= count;
        sent.addAndGet(n);
        if (last) {
          countCompleted(filename);
        }
        try {
          out.write(buffer, 0, n);
          if (rate > 0 || last) {
            out.flush();
          }
        } catch (IOException | RuntimeException e) {
          sent.addAndGet(-n);
          if (last) {
            fileCompleted.get(filename).decrementAndGet();
          }
          throw e;
        }
        done += n;
      }
    } finally {
      activeDownloads.decrementAndGet();
    }
  }

  private void countCompleted(String filename) {
    fileCompleted.computeIfAbsent(filename, k -> new AtomicInteger()).incrementAndGet();
  }

  private String fileEtag(Path file, long length, Instant modified) throws IOException {
    String[] cached = etagCache.get(file);
    String key = length + ":" + modified;
    if (cached != null && cached[0].equals(key)) {
      return cached[1];
    }
    String etag = "\"" + UpstreamTree.hex(UpstreamTree.sha256(file)) + "\"";
    etagCache.put(file, new String[] {key, etag});
    return etag;
  }

  /** {start, end} inclusive; null to ignore the header; empty when unsatisfiable. */
  static long[] parseRange(String header, long length) {
    String h = header.trim();
    if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      return null;
    }
    String spec = h.substring(6).trim();
    if (spec.contains(",")) {
      return null; // several ranges: the whole file, as RFC 9110 allows
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    try {
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || length == 0) {
          return new long[0];
        }
        return new long[] {Math.max(0, length - suffix), length - 1};
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
      if (from < 0 || (!last.isEmpty() && Long.parseLong(last) < from)) {
        return null;
      }
      if (from >= length) {
        return new long[0];
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean ifRangeMatches(String ifRange, String etag, Instant modified) {
    String v = ifRange.trim();
    if (v.startsWith("\"")) {
      return v.equals(etag);
    }
    if (v.startsWith("W/")) {
      return false;
    }
    Instant date = parseDate(v);
    return date != null && date.getEpochSecond() == modified.getEpochSecond();
  }

  private static boolean notModified(Headers in, String etag, Instant modified) {
    List<String> inm = in.get("If-None-Match");
    if (inm != null) {
      for (String header : inm) {
        for (String tag : header.split(",", -1)) {
          String t = tag.trim();
          if (t.startsWith("W/")) {
            t = t.substring(2);
          }
          if (t.equals("*") || t.equals(etag)) {
            return true;
          }
        }
      }
      return false;
    }
    String ims = in.getFirst("If-Modified-Since");
    if (ims != null) {
      Instant since = parseDate(ims.trim());
      return since != null && modified.getEpochSecond() <= since.getEpochSecond();
    }
    return false;
  }

  private static Instant parseDate(String s) {
    try {
      return Instant.from(HTTP_DATE.parse(s));
    } catch (DateTimeParseException e) {
      try {
        return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(s));
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** The percent-decoded segments of a raw path ('+' kept), or null when badly encoded. */
  static List<String> decodeSegments(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    List<String> segments = new ArrayList<>();
    for (String raw : p.split("/", -1)) {
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
      segments.add(bytes.toString(StandardCharsets.UTF_8));
    }
    return segments;
  }

  /** The filename of {@code .../files/<filename>}, or null. */
  private static String fileName(List<String> segments) {
    if (segments == null || segments.size() < 2) {
      return null;
    }
    String name = segments.get(segments.size() - 1);
    if (!segments.get(segments.size() - 2).equals("files")
        || name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\\")) {
      return null;
    }
    return name;
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    text(exchange, 301, "moved to " + location + "\n");
  }

  private static void text(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void empty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * How the index behaves. Immutable: every method returns a changed copy. Defaults: JSON enabled,
   * 404 for unknown projects, pages under {@code /simple}.
   */
  public static final class Options {
    private static final Options DEFAULTS = new Options(true, false, "/simple");

    final boolean jsonEnabled;
    final boolean forbidUnknownProjects;
    final String pathPrefix;

    private Options(boolean jsonEnabled, boolean forbidUnknownProjects, String pathPrefix) {
      this.jsonEnabled = jsonEnabled;
      this.forbidUnknownProjects = forbidUnknownProjects;
      this.pathPrefix = pathPrefix;
    }

    public static Options defaults() {
      return DEFAULTS;
    }

    /**
     * Like download.pytorch.org: HTML only, 403 for unknown projects, pages under {@code prefix}
     * (e.g. "/whl/cu121").
     */
    public static Options pytorch(String prefix) {
      return DEFAULTS.jsonEnabled(false).forbidUnknownProjects(true).pathPrefix(prefix);
    }

    /** false: every page is text/html whatever the Accept, and no Vary. */
    public Options jsonEnabled(boolean enabled) {
      return new Options(enabled, forbidUnknownProjects, pathPrefix);
    }

    /** true: 403 instead of 404 for a project that does not exist. */
    public Options forbidUnknownProjects(boolean forbid) {
      return new Options(jsonEnabled, forbid, pathPrefix);
    }

    /**
     * Where the simple root is: "/simple" (default), "/whl/cu121", or "" for pages right under the
     * root. Files stay reachable at {@code <anything>/files/<filename>}.
     */
    public Options pathPrefix(String prefix) {
      String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
      if (!p.isEmpty() && !p.startsWith("/")) {
        throw new IllegalArgumentException("prefix must start with '/': " + prefix);
      }
      return new Options(jsonEnabled, forbidUnknownProjects, p);
    }
  }
}
