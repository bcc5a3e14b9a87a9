package dev.wheelhouse.cli;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client every command uses to talk to a wheelhouse server. */
public final class ServerHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private ServerHttp() {}

  /**
   * A client for one server: HTTP/1.1 (bodies go with a Content-Length, no h2c upgrade around a
   * large upload), and no redirects, since the server answers its URLs in place and a redirect
   * means a wrong {@code --url}. No request timeout: a prune or a large download may rightly take
   * hours.
   */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }
}
