package dev.wheelhouse.config;

import java.util.List;
import java.util.Optional;

/**
 * Who may do what.
 *
 * @param tokens the API tokens; default none (then uploads and admin are refused)
 * @param anonymousRead whether reads need no token; default true
 */
public record AuthConfig(List<TokenConfig> tokens, boolean anonymousRead) {
  /** No tokens, anonymous reads. */
  public static final AuthConfig DEFAULT = new AuthConfig(List.of(), true);

  public AuthConfig {
    tokens = List.copyOf(tokens);
  }

  /**
   * The configured token whose hash is sha256({@code presentedToken}), if any. Every configured
   * hash is compared, in constant time, so timing tells nothing about the tokens.
   */
  public Optional<TokenConfig> authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Optional.empty();
    }
    String presentedHash = Tokens.hash(presentedToken);
    TokenConfig found = null;
    for (TokenConfig token : tokens) {
      if (Tokens.sameHash(presentedHash, token.hash()) && found == null) {
        found = token;
      }
    }
    return Optional.ofNullable(found);
  }
}
