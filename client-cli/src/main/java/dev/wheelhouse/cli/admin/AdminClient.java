package dev.wheelhouse.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerHttp;
import dev.wheelhouse.cli.ServerReplies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Talks to a server's {@code /admin/} API with an admin token ({@code Authorization: Bearer}). Long
 * operations answer with NDJSON: progress lines, then one result or error line. Every problem
 * becomes a one-line {@link CommandFailure} naming the command, the HTTP status and the server's
 * reason.
 */
public final class AdminClient {
  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final int MAX_QUOTED_CHARS = 80;

  /** Receives the progress lines of a long operation. */
  interface ProgressListener {
    /**
     * Called for each progress line.
     *
     * @param phase what the server is doing ("scan", "select", "delete", ...)
     * @param done units done so far in this phase
     * @param total units in this phase, or -1 if unknown
     */
    void progress(String phase, long done, long total);
  }

  private final String command;
  private final URI server;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param command the command's name, which starts every failure ("prune failed: ...")
   * @param server the server's base URL without a trailing slash
   */
  public AdminClient(String command, URI server, Optional<String> token) {
    this.command = command;
    this.server = server;
    this.token = token;
    this.client = ServerHttp.client();
  }

  /** {@code GET path}, answered with one JSON document. */
  public JsonNode get(String path) throws InterruptedException {
    HttpRequest request = request(path).header("Accept", "application/json").GET().build();
    try {
      HttpResponse<InputStream> response = send(request);
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw refused(response.statusCode(), ServerReplies.reason(response, in, "admin"));
        }
        byte[] body = in.readAllBytes();
        try {
          return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
          throw failed(
              "unexpected answer from "
                  + server
                  + ": "
                  + quote(new String(body, StandardCharsets.UTF_8)),
              e);
        }
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** {@code DELETE path}; returns whether the server had something there (200/204, not 404). */
  public boolean delete(String path) throws InterruptedException {
    HttpRequest request = request(path).DELETE().build();
    try {
      HttpResponse<InputStream> response = send(request);
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status == 404) {
          return false;
        }
        if (status != 200 && status != 204) {
          throw refused(status, ServerReplies.reason(response, in, "admin"));
        }
        return true;
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * {@code POST path} with a JSON body, answered with an NDJSON stream; returns the result line's
   * {@code report}.
   */
  JsonNode stream(String path, JsonNode body, ProgressListener progress)
      throws InterruptedException {
    HttpRequest request =
        request(path)
            .header("Content-Type", "application/json")
            .header("Accept", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<InputStream> response = send(request);
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw refused(response.statusCode(), ServerReplies.reason(response, in, "admin"));
        }
        return readStream(in, progress);
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private JsonNode readStream(InputStream in, ProgressListener progress) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event;
      try {
        event = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw failed("unexpected answer from " + server + ": " + quote(line), e);
      }
      switch (event.path("type").asText()) {
        case "progress" ->
            progress.progress(
                event.path("phase").asText(""),
                event.path("done").asLong(0),
                event.path("total").asLong(-1));
        case "result" -> {
          JsonNode report = event.get("report");
          if (report == null || !report.isObject()) {
            throw failed("the server's result has no report: " + quote(line), null);
          }
          return report;
        }
        case "error" -> {
          String message = event.path("message").asText("").strip();
          throw failed(message.isEmpty() ? "the server reported an error" : message, null);
        }
        default -> {
          // Kinds of lines this client does not know yet; a newer server may send them.
        }
      }
    }
    throw failed("the server's answer ended without a result (connection lost?)", null);
  }

  /** Reads a report or stats document into its record; fields it does not know are ignored. */
  <T> T read(JsonNode document, Class<T> type) {
    try {
      return MAPPER.treeToValue(document, type);
    } catch (JsonProcessingException e) {
      throw failed("unexpected answer from " + server + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw failed("unexpected answer from " + server + ": " + e.getMessage(), e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path)).header("User-Agent", "wheelhouse-cli");
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return request;
  }

  private HttpResponse<InputStream> send(HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return client.send(request, BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw CommandFailure.failed(
          "cannot reach " + server + ": " + ServerReplies.connectProblem(e), e);
    } catch (HttpConnectTimeoutException e) {
      throw CommandFailure.failed("cannot reach " + server + ": connection timed out", e);
    }
  }

  private CommandFailure refused(int status, String reason) {
    String hint = status == 401 && token.isEmpty() ? " (pass --token or set WHEELHOUSE_TOKEN)" : "";
    return failed(status + " " + reason + hint, null);
  }

  private CommandFailure lost(IOException e) {
    return failed("connection to " + server + " lost: " + ServerReplies.describe(e), e);
  }

  private CommandFailure failed(String message, Throwable cause) {
    return CommandFailure.failed(command + " failed: " + message, cause);
  }

  private static String quote(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return "'"
        + (line.length() > MAX_QUOTED_CHARS ? line.substring(0, MAX_QUOTED_CHARS) + "..." : line)
        + "'";
  }
}
