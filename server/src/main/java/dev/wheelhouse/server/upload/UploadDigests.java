package dev.wheelhouse.server.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** The three digests the upload API may declare, computed in one read of the file. */
record UploadDigests(String sha256, String md5, String blake2b256) {
  private static final int CHUNK = 1 << 20;

  static UploadDigests of(Path file) throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    Blake2bDigest blake2 = new Blake2bDigest(256);
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        blake2.update(buffer, 0, n);
      }
    }
    byte[] blake2Out = new byte[32];
    blake2.doFinal(blake2Out, 0);
    HexFormat hex = HexFormat.of();
    return new UploadDigests(
        hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()), hex.formatHex(blake2Out));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JDK", e);
    }
  }
}
