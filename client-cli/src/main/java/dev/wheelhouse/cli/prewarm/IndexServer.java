package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerHttp;
import dev.wheelhouse.cli.ServerReplies;
import dev.wheelhouse.packaging.ProjectName;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The server prewarm reads from: its base URL, the index whose pages it reads (a named one, or the
 * server's default), the token, and the one HTTP client every request goes through.
 */
final class IndexServer {
  private final URI base;
  private final Optional<String> index;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param base the server's base URL, no trailing slash
   * @param index a named index, or empty for the server's default index
   */
  IndexServer(URI base, Optional<String> index, Optional<String> token) {
    this.base = base;
    this.index = index;
    this.token = token;
    this.client = ServerHttp.client();
  }

  URI base() {
    return base;
  }

  Optional<String> token() {
    return token;
  }

  HttpClient client() {
    return client;
  }

  /** {@code <base>/simple/<name>/}, or {@code <base>/index/<index>/simple/<name>/}. */
  URI projectPage(ProjectName project) {
    String simple = index.map(name -> "/index/" + encode(name) + "/simple/").orElse("/simple/");
    return URI.create(base + simple + encode(project.value()) + "/");
  }

  /** The index as people name it in messages: {@code index 'x'} or {@code the default index}. */
  String indexName() {
    return index.map(name -> "index '" + name + "'").orElse("the server's default index");
  }

  /**
   * A GET of {@code url}; the token goes only to the server itself, never to another host a page
   * may link to.
   */
  HttpRequest.Builder get(URI url) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).GET().header("User-Agent", "wheelhouse-cli");
    if (token.isPresent() && sameOrigin(url)) {
      byte[] credentials = ("__token__:" + token.get()).getBytes(StandardCharsets.UTF_8);
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials));
    }
    return request;
  }

  /** The one-line failure for a server that cannot be reached. */
  CommandFailure unreachable(Exception e) {
    String problem =
        e instanceof ConnectException connect
            ? ServerReplies.connectProblem(connect)
            : e instanceof HttpConnectTimeoutException
                ? "connection timed out"
                : ServerReplies.describe(e);
    return CommandFailure.failed("wheelhouse prewarm: cannot reach " + base + ": " + problem, e);
  }

  private boolean sameOrigin(URI url) {
    return Objects.equals(lower(url.getScheme()), lower(base.getScheme()))
        && Objects.equals(lower(url.getHost()), lower(base.getHost()))
        && port(url) == port(base);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
