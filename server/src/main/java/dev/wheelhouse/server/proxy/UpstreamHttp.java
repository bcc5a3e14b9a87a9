package dev.wheelhouse.server.proxy;

import dev.wheelhouse.config.IndexConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP to one proxy index's upstream. Blocking: runs on worker threads, never on an event loop.
 * Credentials go only to the upstream's own host, never to the other hosts its pages link to.
 */
public final class UpstreamHttp {
  /** What pip sends: JSON preferred, HTML accepted. */
  static final String PAGE_ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
          + " text/html;q=0.01";

  private static final int MAX_PAGE_BYTES = 64 << 20;

  private final HttpClient client;
  private final URI base;
  private final Duration readTimeout;
  private final Optional<String> authorization;

  public UpstreamHttp(IndexConfig index) {
    this.base = index.url().orElseThrow(() -> new IllegalArgumentException("proxy without url"));
    this.readTimeout = index.readTimeout();
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(index.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.authorization =
        index
            .username()
            .map(
                user ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (user + ":" + index.password().orElse(""))
                                    .getBytes(StandardCharsets.UTF_8)));
  }

  /** The page URL of a project: the upstream's simple URL plus the normalized name. */
  public URI pageUrl(String project) {
    return base.resolve(project + "/");
  }

  /** A page body, bounded in size; conditional headers as given. */
  public PageResponse page(String project, Map<String, String> conditional)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(pageUrl(project)).timeout(readTimeout).header("Accept", PAGE_ACCEPT);
    conditional.forEach(request::header);
    authorize(request, pageUrl(project));
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(MAX_PAGE_BYTES + 1);
      if (body.length > MAX_PAGE_BYTES) {
        throw new IOException("upstream page larger than " + MAX_PAGE_BYTES + " bytes");
      }
      return new PageResponse(
          response.statusCode(),
          response.uri(),
          response.headers().firstValue("Content-Type").orElse(""),
          body,
          response.headers().firstValue("ETag"),
          response.headers().firstValue("Last-Modified"));
    }
  }

  /**
   * Opens a file (or .metadata) download; the caller reads and closes the stream, which fails when
   * upstream sends nothing for the read timeout.
   */
  public HttpResponse<InputStream> open(URI url) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).timeout(readTimeout).header("Accept-Encoding", "identity");
    authorize(request, url);
    return client.send(request.build(), TimedBody.handler(readTimeout, url.toString()));
  }

  private void authorize(HttpRequest.Builder request, URI target) {
    if (authorization.isPresent() && sameOrigin(target)) {
      request.header("Authorization", authorization.get());
    }
  }

  private boolean sameOrigin(URI target) {
    return base.getScheme().equalsIgnoreCase(target.getScheme())
        && base.getHost().toLowerCase(Locale.ROOT).equals(target.getHost().toLowerCase(Locale.ROOT))
        && base.getPort() == target.getPort();
  }

  /** An upstream page response, read whole (pages are metadata, bounded in size). */
  @SuppressWarnings("ArrayRecordComponent") // handed straight to the parser and the store
  public record PageResponse(
      int status,
      URI url,
      String contentType,
      byte[] body,
      Optional<String> etag,
      Optional<String> lastModified) {}
}
