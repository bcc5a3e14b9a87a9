package dev.wheelhouse.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls of the admin API with the test admin token, and the reading of its NDJSON job answers. */
public final class AdminRequests {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminRequests() {}

  /** {@code POST baseUrl + path} with a JSON body. */
  public static HttpResponse<String> post(String baseUrl, String path, String body)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET baseUrl + path}. */
  public static HttpResponse<String> get(String baseUrl, String path)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code DELETE baseUrl + path}. */
  public static HttpResponse<String> delete(String baseUrl, String path)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
            .DELETE()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The report of an NDJSON job answer (prune, gc, verify), checking that it is a 200 NDJSON stream
   * whose lines before the result are all progress lines.
   */
  public static JsonNode result(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/x-ndjson");
    JsonNode last = null;
    for (String line : response.body().split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      last = JSON.readTree(line);
      assertThat(last.get("type").asText()).as(line).isIn("progress", "result");
    }
    assertThat(last).isNotNull();
    assertThat(last.get("type").asText()).isEqualTo("result");
    return last.get("report");
  }
}
