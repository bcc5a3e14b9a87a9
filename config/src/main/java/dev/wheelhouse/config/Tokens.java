package dev.wheelhouse.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * API tokens: made at random, stored only as their sha256 hash, compared in constant time.
 *
 * <p>A plain sha256 is enough here (no salt, no slow hash) because tokens carry 256 random bits:
 * there is no dictionary to attack.
 */
public final class Tokens {
  private static final String PREFIX = "wh_";
  private static final String HASH_PREFIX = "sha256:";
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new token: {@code wh_} and 43 base64url characters of 32 random bytes. */
  public static String newToken() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** {@code sha256:} and the lowercase hex sha256 of the token's UTF-8 bytes. */
  public static String hash(String token) {
    return HASH_PREFIX + DigestUtils.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code token} hashes to {@code hash}, in time independent of where they differ. */
  public static boolean matches(String token, String hash) {
    return sameHash(hash(token), hash);
  }

  /** Whether {@code text} has the form {@code sha256:<64 lowercase hex>}. */
  public static boolean isHash(String text) {
    return HASH.matcher(text).matches();
  }

  /** Whether {@code text} looks like a token rather than its hash (a common configuration slip). */
  static boolean looksLikeToken(String text) {
    return text.startsWith(PREFIX);
  }

  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
