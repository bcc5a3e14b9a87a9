package dev.wheelhouse.cli.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;
import org.apache.commons.codec.binary.Hex;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The three digests the upload API takes, lowercase hex, computed in one read of the file (large
 * wheels are gigabytes: reading them three times would triple the wait).
 *
 * @param size the number of bytes digested, which is also the number of bytes the upload sends
 */
record FileDigests(String sha256, String md5, String blake2b256, long size) {
  private static final int BUFFER = 1 << 16;

  /** Digests {@code file}, reporting the bytes read so far to {@code progress}. */
  static FileDigests of(Path file, LongConsumer progress) throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    Blake2bDigest blake2b = new Blake2bDigest(256);
    byte[] buffer = new byte[BUFFER];
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        blake2b.update(buffer, 0, n);
        size += n;
        progress.accept(size);
      }
    }
    byte[] blake2bOut = new byte[blake2b.getDigestSize()];
    blake2b.doFinal(blake2bOut, 0);
    return new FileDigests(
        Hex.encodeHexString(sha256.digest()),
        Hex.encodeHexString(md5.digest()),
        Hex.encodeHexString(blake2bOut),
        size);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 and MD5.
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
