package dev.wheelhouse.server.proxy.fill;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Sends a {@link Fill}'s bytes to one Vert.x HTTP response as they arrive, never blocking the event
 * loop. A client gets a complete-looking response only once the bytes are verified and committed
 * (DESIGN §6 rule 1); memory per client is a chunk or two, whatever the file size (rule 4).
 */
public final class FillResponder {
  private final Vertx vertx;
  private final long smallFileThreshold;

  /**
   * @param smallFileThreshold headers wait until this many bytes are written or the fill has
   *     finished (e.g. 1 MiB): below it, a failed fill still gets a proper 502 with a reason
   */
  public FillResponder(Vertx vertx, long smallFileThreshold) {
    if (smallFileThreshold < 0) {
      throw new IllegalArgumentException("negative threshold: " + smallFileThreshold);
    }
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.smallFileThreshold = smallFileThreshold;
  }

  /**
   * Streams the fill to the response of a GET (answer HEAD without a fill). Call it on the
   * request's event loop, with the status (200) and headers already set except Content-Length,
   * which this sets when the size is known (otherwise the response is chunked).
   *
   * <ul>
   *   <li>Headers go out only once the fill has finished or {@code smallFileThreshold} bytes are
   *       written, so a small file's failure is reported before anything was sent.
   *   <li>Until the fill has committed, the last byte (the last chunk when the size is unknown) is
   *       held back; if the fill fails after the headers went out, the connection (HTTP/2: the
   *       stream) is reset, so the client sees a truncated transfer, never a complete-looking
   *       unverified file.
   *   <li>If the client goes away, reading stops and the file is closed; the fill continues.
   * </ul>
   *
   * @return completes when the response has ended successfully; fails with the fill's failure, or
   *     with the connection's failure if the client went away. After a failure, check {@code
   *     response().headWritten()}: if false, nothing was sent and the caller should answer 502 with
   *     a reason (this method has removed the Content-Length it set).
   */
  public Future<Void> send(RoutingContext ctx, Fill fill) {
    return new FillTransfer(vertx, ctx, fill, smallFileThreshold).start();
  }
}
