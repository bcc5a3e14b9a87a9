package dev.wheelhouse.server.apt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks a body against a digest other than sha256 (by-hash names under {@code MD5Sum}, {@code
 * SHA1}, {@code SHA512}) as it streams: at the end of the body a mismatch fails the read, so the
 * download fails before it is committed.
 */
final class DigestCheckingStream extends FilterInputStream {
  private final MessageDigest digest;
  private final String expectedHex;
  private final String what;
  private boolean checked;

  DigestCheckingStream(InputStream in, MessageDigest digest, String expectedHex, String what) {
    super(in);
    this.digest = digest;
    this.expectedHex = expectedHex.toLowerCase(Locale.ROOT);
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
    } else if (n < 0 && !checked) {
      checked = true;
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(expectedHex)) {
        throw new Mismatch(
            what + " does not match its " + digest.getAlgorithm() + " name (got " + actual + ")");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping would bypass the digest check");
  }

  /** The body's digest differs from the one in its name. */
  static final class Mismatch extends IOException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }
}
