package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void hashIsSha256OfTheUtf8Bytes() {
    // sha256("test"), as printed by `printf test | sha256sum`.
    assertThat(Tokens.hash("test"))
        .isEqualTo("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assertThat(Tokens.hash("é")).isEqualTo(Tokens.hash("\u00e9")).isNotEqualTo(Tokens.hash("e"));
  }

  @Test
  void matchesOnlyItsOwnHash() {
    String token = Tokens.newToken();
    String hash = Tokens.hash(token);
    assertThat(Tokens.matches(token, hash)).isTrue();
    assertThat(Tokens.matches(token + "x", hash)).isFalse();
    assertThat(Tokens.matches(token, hash.substring(0, hash.length() - 1))).isFalse();
    assertThat(Tokens.matches(token, "")).isFalse();
  }

  @Test
  void newTokensAreWellFormedAndUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = Tokens.newToken();
      assertThat(token).matches("wh_[A-Za-z0-9_-]{43}");
      assertThat(seen.add(token)).as("token %s repeated", token).isTrue();
    }
  }

  @Test
  void recognisesHashes() {
    assertThat(Tokens.isHash(Tokens.hash("x"))).isTrue();
    assertThat(Tokens.isHash("sha256:9f86d08...")).isFalse();
    assertThat(Tokens.isHash(Tokens.hash("x").toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(Tokens.isHash("md5:" + "0".repeat(64))).isFalse();
  }
}
