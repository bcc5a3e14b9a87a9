package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.proxy.TimedBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP to the apt mirrors. Blocking: runs on worker and fill threads, never on an event loop. Only
 * URLs below a configured mirror's root are ever requested (redirects the mirror itself sends are
 * followed, as apt would).
 */
public final class AptUpstream {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  /**
   * GETs {@code url} with extra request headers (conditional ones for revalidation); the caller
   * reads and closes the body, whose reads fail when upstream sends nothing for a while.
   */
  public HttpResponse<InputStream> get(URI url, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(READ_TIMEOUT)
            // Bytes exactly as published: apt checks them against Release digests.
            .header("Accept-Encoding", "identity")
            .header("User-Agent", "wheelhouse-apt-cache");
    headers.forEach(request::header);
    return client.send(request.build(), TimedBody.handler(READ_TIMEOUT, url.toString()));
  }
}
