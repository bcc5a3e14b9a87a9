package dev.wheelhouse.storage;

import java.io.InputStream;

/** A deterministic pseudo-random stream of a given length, never held in memory. */
final class GeneratedInputStream extends InputStream {
  private final long length;
  private long position;
  private long state;

  GeneratedInputStream(long length, long seed) {
    this.length = length;
    this.state = seed;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int off, int len) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - position);
    for (int i = 0; i < n; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L; // LCG (Knuth MMIX)
      buffer[off + i] = (byte) (state >>> 56);
    }
    position += n;
    return n;
  }
}
