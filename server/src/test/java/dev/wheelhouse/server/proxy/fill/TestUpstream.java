package dev.wheelhouse.server.proxy.fill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream (the JDK's server) that counts the requests it gets. What it answers is set
 * per test; a file can stop after some bytes until {@link #release()}, so that tests can put
 * clients in the middle of a download deterministically, without sleeping.
 */
final class TestUpstream implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final HttpClient client = HttpClient.newHttpClient();
  private volatile HttpHandler handler = exchange -> answer(exchange, 404);

  private TestUpstream(HttpServer server) {
    this.server = server;
  }

  static TestUpstream start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TestUpstream upstream = new TestUpstream(server);
    server.setExecutor(upstream.threads);
    server.createContext(
        "/",
        exchange -> {
          upstream.requests.incrementAndGet();
          try (exchange) {
            upstream.handler.handle(exchange);
          }
        });
    server.start();
    return upstream;
  }

  /** Answers with {@code content} and its Content-Length. */
  void serve(GeneratedBytes content) {
    serve(content, Long.MAX_VALUE, true);
  }

  /**
   * Answers with {@code content}, stopping after {@code pauseAfter} bytes until {@link #release()};
   * {@code withLength} false sends it chunked, without a Content-Length.
   */
  void serve(GeneratedBytes content, long pauseAfter, boolean withLength) {
    handler =
        exchange -> {
          exchange.sendResponseHeaders(200, withLength ? content.size() : 0);
          try (InputStream in = content.open();
              OutputStream out = exchange.getResponseBody()) {
            copy(in, out, pauseAfter);
            if (pauseAfter < content.size()) {
              out.flush();
              awaitRelease();
              in.transferTo(out);
            }
          }
        };
  }

  /** Answers every request with {@code status} and a short body. */
  void failWith(int status) {
    handler = exchange -> answer(exchange, status);
  }

  /** Lets paused downloads (and all later ones) go on to their end. */
  void release() {
    gate.countDown();
  }

  int requests() {
    return requests.get();
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/packages/demo-1.0.tar.gz");
  }

  /** How the proxy opens a file: a real HTTP request, the response mapped by UpstreamBody.of. */
  UpstreamOpener opener() {
    return () -> {
      try {
        return UpstreamBody.of(
            client.send(
                HttpRequest.newBuilder(url()).build(), HttpResponse.BodyHandlers.ofInputStream()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while opening " + url());
      }
    };
  }

  private static void copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n < 0) {
        return;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
  }

  private void awaitRelease() throws IOException {
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new IOException("test never released the upstream");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    byte[] body = ("status " + status + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    threads.shutdownNow();
  }
}
