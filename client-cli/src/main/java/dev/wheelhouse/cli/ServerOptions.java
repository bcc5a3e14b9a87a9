package dev.wheelhouse.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --token}, taken by every command that talks to a server. Unset options
 * fall back to WHEELHOUSE_URL and WHEELHOUSE_TOKEN; the fallback is resolved against the
 * invocation's environment (not {@link System#getenv}) so that tests can set it.
 */
public final class ServerOptions {
  public static final String URL_ENV = "WHEELHOUSE_URL";
  public static final String TOKEN_ENV = "WHEELHOUSE_TOKEN";
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Server URL (default: $" + URL_ENV + ", else%n" + DEFAULT_URL + ").")
  private String url;

  // No default shown in help: it would print the secret from the environment.
  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token (default: $" + TOKEN_ENV + ").")
  private String token;

  /** The server's base URL without a trailing slash, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUrl(Map<String, String> env) {
    String raw = firstNonBlank(url, env.get(URL_ENV)).orElse(DEFAULT_URL).trim();
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw CommandFailure.usage("invalid server URL '" + raw + "': " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw CommandFailure.usage(
          "invalid server URL '" + raw + "': expected http://HOST[:PORT] or https://HOST[:PORT]");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw CommandFailure.usage("invalid server URL '" + raw + "': no query or fragment allowed");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  public Optional<String> token(Map<String, String> env) {
    return firstNonBlank(token, env.get(TOKEN_ENV)).map(String::trim);
  }

  private static Optional<String> firstNonBlank(String first, String second) {
    if (first != null && !first.isBlank()) {
      return Optional.of(first);
    }
    if (second != null && !second.isBlank()) {
      return Optional.of(second);
    }
    return Optional.empty();
  }
}
