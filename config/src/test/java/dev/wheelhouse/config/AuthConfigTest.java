package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
  private final String ciToken = Tokens.newToken();
  private final String adminToken = Tokens.newToken();
  private final AuthConfig auth =
      new AuthConfig(
          List.of(
              new TokenConfig("ci", Tokens.hash(ciToken), Set.of(Role.UPLOAD)),
              new TokenConfig("admin", Tokens.hash(adminToken), Set.of(Role.ADMIN, Role.UPLOAD))),
          false);

  @Test
  void findsTheTokenWhoseHashMatches() {
    assertThat(auth.authenticate(ciToken)).map(TokenConfig::name).contains("ci");
    assertThat(auth.authenticate(adminToken)).map(TokenConfig::name).contains("admin");
    assertThat(auth.authenticate(adminToken).orElseThrow().has(Role.ADMIN)).isTrue();
    assertThat(auth.authenticate(ciToken).orElseThrow().has(Role.ADMIN)).isFalse();
  }

  @Test
  void refusesEverythingElse() {
    assertThat(auth.authenticate(ciToken + "x")).isEmpty();
    assertThat(auth.authenticate("")).isEmpty();
    assertThat(auth.authenticate(null)).isEmpty();
    // The hash itself is not a token.
    assertThat(auth.authenticate(Tokens.hash(ciToken))).isEmpty();
    assertThat(AuthConfig.DEFAULT.authenticate(ciToken)).isEmpty();
  }
}
