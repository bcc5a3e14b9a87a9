package dev.wheelhouse.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as a stream, with a timeout on every read. The JDK client's own timeout ends
 * at the response headers and its body stream blocks for ever on a stalled upstream, which would
 * hold a download, and every client following it, for good. Buffers are requested one list at a
 * time, so memory stays bounded.
 */
public final class TimedBody extends InputStream
    implements HttpResponse.BodySubscriber<InputStream> {
  // A marker of its own: an empty list may also come as data.
  private static final Object END = new Object();

  private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
  private final Duration idle;
  private final String what;
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> current = List.<ByteBuffer>of().iterator();
  private ByteBuffer buffer;
  private boolean ended;

  private TimedBody(Duration idle, String what) {
    this.idle = idle;
    this.what = what;
  }

  /** A body handler whose body is a stream that fails when nothing arrives for {@code idle}. */
  public static HttpResponse.BodyHandler<InputStream> handler(Duration idle, String what) {
    return info -> new TimedBody(idle, what);
  }

  /** The stream is handed out at once, with the headers: its reads wait for the bytes. */
  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    arrivals.add(item);
  }

  @Override
  public void onError(Throwable error) {
    arrivals.add(error);
  }

  @Override
  public void onComplete() {
    arrivals.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (buffer == null || !buffer.hasRemaining()) {
      if (current.hasNext()) {
        buffer = current.next();
        continue;
      }
      if (ended) {
        return -1;
      }
      next();
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  /** Waits for the next list of buffers, at most the idle timeout. */
  @SuppressWarnings("unchecked") // only lists of buffers, errors and END are ever queued
  private void next() throws IOException {
    Object arrival;
    try {
      arrival = arrivals.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    }
    if (arrival == null) {
      close();
      throw new InterruptedIOException(
          what + ": upstream sent nothing for " + idle.toSeconds() + "s");
    }
    if (arrival instanceof Throwable error) {
      ended = true;
      throw error instanceof IOException io ? io : new IOException(error);
    }
    if (arrival == END) {
      ended = true;
      return;
    }
    current = ((List<ByteBuffer>) arrival).iterator();
    subscription.request(1);
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    ended = true;
  }
}
