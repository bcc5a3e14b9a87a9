package dev.wheelhouse.server.proxy.fill;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The body of a successful upstream response. {@code contentLength}, when known, is checked against
 * the bytes actually received: a short or long body fails the fill.
 */
public record UpstreamBody(InputStream stream, OptionalLong contentLength) implements Closeable {
  public UpstreamBody {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(contentLength, "contentLength");
    if (contentLength.isPresent() && contentLength.getAsLong() < 0) {
      throw new IllegalArgumentException("negative Content-Length: " + contentLength.getAsLong());
    }
  }

  /**
   * The body of a JDK client response; any status but 200 is an {@link UpstreamException} (and the
   * body is closed, which releases the connection).
   */
  public static UpstreamBody of(HttpResponse<InputStream> response) throws UpstreamException {
    if (response.statusCode() != 200) {
      UpstreamException failure =
          UpstreamException.status(response.statusCode(), response.uri().toString());
      try {
        response.body().close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    }
    return new UpstreamBody(response.body(), response.headers().firstValueAsLong("Content-Length"));
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
