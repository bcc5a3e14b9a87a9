package dev.wheelhouse.cli.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Reports how many bytes have been read, so that the upload progress follows the bytes sent. */
final class ProgressInputStream extends FilterInputStream {
  private final LongConsumer progress;
  private long count;

  ProgressInputStream(InputStream in, LongConsumer progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    advance(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would make the count lie
  }

  private void advance(long n) {
    count += n;
    progress.accept(count);
  }
}
