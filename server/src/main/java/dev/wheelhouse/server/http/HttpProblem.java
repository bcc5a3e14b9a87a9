package dev.wheelhouse.server.http;

import java.util.Map;

/**
 * A request that cannot be served, with the status and the one-line reason the client sees.
 * Services throw it; {@link FailureResponder} turns it into a plain-text response.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  public HttpProblem(int status, String reason) {
    this(status, reason, Map.of());
  }

  public HttpProblem(int status, String reason, Map<String, String> headers) {
    super(reason, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public static HttpProblem badRequest(String reason) {
    return new HttpProblem(400, reason);
  }

  public static HttpProblem notFound(String reason) {
    return new HttpProblem(404, reason);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }
}
