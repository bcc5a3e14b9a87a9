package dev.wheelhouse.cli.admin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server (the JDK's) playing the {@code /admin/} API with canned answers: NDJSON
 * streams for prune, gc and verify, JSON for stats, plain-text reasons for refusals. Records every
 * request so tests can check what each flag sends.
 */
final class AdminServer implements AutoCloseable {
  static final String NDJSON = "application/x-ndjson";
  static final String JSON = "application/json";
  static final String TEXT = "text/plain; charset=utf-8";

  /** One request as received. */
  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private record Answer(int status, String contentType, List<String> chunks) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  AdminServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          String path = exchange.getRequestURI().getRawPath();
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  path,
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          Answer answer =
              answers.getOrDefault(path, new Answer(404, TEXT, List.of("no such page\n")));
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          // Chunked, as a streamed answer is: each chunk is written and flushed on its own.
          exchange.sendResponseHeaders(answer.status(), 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (String chunk : answer.chunks()) {
              out.write(chunk.getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          }
        });
    server.start();
  }

  /** Answers {@code path} with 200 and these NDJSON lines, each flushed on its own. */
  AdminServer stream(String path, String... lines) {
    answers.put(path, new Answer(200, NDJSON, List.of(lines).stream().map(l -> l + "\n").toList()));
    return this;
  }

  /** Answers {@code path} with {@code status}, {@code contentType} and {@code body}. */
  AdminServer answer(String path, int status, String contentType, String body) {
    answers.put(path, new Answer(status, contentType, List.of(body)));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request onlyRequest() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
