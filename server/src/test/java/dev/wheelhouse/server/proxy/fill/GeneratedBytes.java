package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random file content of any size, generated on the fly so that even a 200 MB
 * file is never held in memory.
 */
final class GeneratedBytes {
  private static final int BLOCK = 64 * 1024;

  private final long size;
  private final long seed;

  GeneratedBytes(long size, long seed) {
    this.size = size;
    this.seed = seed;
  }

  long size() {
    return size;
  }

  /** A fresh stream of the content, from its first byte. */
  InputStream open() {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private final byte[] block = new byte[BLOCK];
      private int position = BLOCK;
      private long remaining = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
          return -1;
        }
        if (position == BLOCK) {
          random.nextBytes(block);
          position = 0;
        }
        int n = (int) Math.min(Math.min(len, BLOCK - position), remaining);
        System.arraycopy(block, position, b, off, n);
        position += n;
        remaining -= n;
        return n;
      }
    };
  }

  byte[] bytes() {
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Sha256 sha256() {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[BLOCK];
    try (InputStream in = open()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Sha256.fromBytes(digest.digest());
  }
}
