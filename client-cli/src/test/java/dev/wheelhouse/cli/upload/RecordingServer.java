package dev.wheelhouse.cli.upload;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server (the JDK's) that records every request and answers each with a fixed status
 * and body: enough to see exactly what the client sends and how it reads answers.
 */
final class RecordingServer implements AutoCloseable {

  /** One request as received. */
  static final class Request {
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    String method() {
      return method;
    }

    String path() {
      return path;
    }

    byte[] body() {
      return body.clone();
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String body = "OK";
  private volatile Map<String, String> headers = Map.of();

  RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] received;
          try (InputStream in = exchange.getRequestBody()) {
            received = in.readAllBytes();
          }
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  received));
          byte[] answer = body.getBytes(StandardCharsets.UTF_8);
          headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
          exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
  }

  /** Answers every following request with {@code status} and {@code body}. */
  RecordingServer answer(int status, String body, Map<String, String> headers) {
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
    return this;
  }

  RecordingServer answer(int status, String body) {
    return answer(status, body, Map.of());
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
