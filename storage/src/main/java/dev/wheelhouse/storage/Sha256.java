package dev.wheelhouse.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.codec.binary.Hex;

/**
 * A sha256 digest. {@code hex} is always 64 lowercase hex characters: the constructor validates and
 * lower-cases, so two equal digests are always equal records.
 */
public record Sha256(String hex) {

  /** Length of the raw digest in bytes. */
  public static final int BYTES = 32;

  public Sha256 {
    Objects.requireNonNull(hex, "hex");
    if (!isValid(hex)) {
      throw new IllegalArgumentException("not a sha256 hex digest: '" + abbreviate(hex) + "'");
    }
    hex = hex.toLowerCase(Locale.ROOT);
  }

  /** Parses a hex digest (either case). */
  public static Sha256 of(String hex) {
    return new Sha256(hex);
  }

  /** The sha256 of {@code bytes}. */
  public static Sha256 digest(byte[] bytes) {
    return fromBytes(newDigest().digest(bytes));
  }

  /** Wraps a raw 32-byte digest, e.g. the result of {@link MessageDigest#digest()}. */
  public static Sha256 fromBytes(byte[] raw) {
    if (raw.length != BYTES) {
      throw new IllegalArgumentException("sha256 digest must be 32 bytes, got " + raw.length);
    }
    return new Sha256(Hex.encodeHexString(raw));
  }

  /** True if {@code hex} is 64 hex characters (either case). */
  public static boolean isValid(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!isHexDigit(hex.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  // ASCII only: Character.digit would also accept e.g. full-width digits.
  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** A fresh sha256 {@link MessageDigest}; every JDK has one. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The raw 32 bytes (a new array each call). */
  public byte[] bytes() {
    byte[] raw = new byte[BYTES];
    for (int i = 0; i < BYTES; i++) {
      raw[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return raw;
  }

  /** The hex digest, so that digests read naturally in logs and messages. */
  @Override
  public String toString() {
    return hex;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
