package dev.wheelhouse.server.auth;

import dev.wheelhouse.config.AuthConfig;
import dev.wheelhouse.config.Role;
import dev.wheelhouse.config.TokenConfig;
import dev.wheelhouse.server.http.HttpProblem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the token a request presents: HTTP Basic with the token as password (user {@code
 * __token__}, as twine and uv send it) or a Bearer token. No credentials → 401 with a challenge; an
 * unknown token or a missing role → 403.
 */
public final class Authenticator {
  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Basic realm=\"wheelhouse\"");

  private final AuthConfig auth;

  public Authenticator(AuthConfig auth) {
    this.auth = auth;
  }

  /** A route handler that lets the request through only with a token holding {@code role}. */
  public Handler<RoutingContext> require(Role role) {
    return ctx -> {
      check(ctx.request().getHeader("Authorization"), role);
      ctx.next();
    };
  }

  /** A handler for read routes: anonymous unless the configuration says otherwise. */
  public Handler<RoutingContext> requireRead() {
    return ctx -> {
      if (!auth.anonymousRead()) {
        check(ctx.request().getHeader("Authorization"), Role.READ);
      }
      ctx.next();
    };
  }

  /**
   * Whether a request with this {@code Authorization} header (may be null) could read the indexes:
   * for pages that show more to readers without asking anyone for credentials.
   */
  public boolean mayRead(String authorization) {
    if (auth.anonymousRead()) {
      return true;
    }
    try {
      return presentedToken(authorization).flatMap(auth::authenticate).isPresent();
    } catch (HttpProblem malformed) {
      return false;
    }
  }

  /**
   * Read access for forward-proxy requests: clients configured with a proxy URL holding credentials
   * send them as Proxy-Authorization, and expect 407 when they are missing.
   */
  public void checkProxyRead(String proxyAuthorization, String authorization) {
    if (auth.anonymousRead()) {
      return;
    }
    if (proxyAuthorization == null && authorization == null) {
      throw new HttpProblem(
          407,
          "proxy authentication required",
          Map.of("Proxy-Authenticate", "Basic realm=\"wheelhouse\""));
    }
    check(proxyAuthorization != null ? proxyAuthorization : authorization, Role.READ);
  }

  void check(String authorization, Role role) {
    String token =
        presentedToken(authorization)
            .orElseThrow(() -> new HttpProblem(401, "authentication required", CHALLENGE));
    TokenConfig holder =
        auth.authenticate(token).orElseThrow(() -> new HttpProblem(403, "invalid token"));
    // Any token may read; upload and admin must be granted.
    if (role != Role.READ && !holder.roles().contains(role)) {
      throw new HttpProblem(
          403,
          "token '"
              + holder.name()
              + "' lacks the "
              + role.name().toLowerCase(Locale.ROOT)
              + " role");
    }
  }

  static Optional<String> presentedToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Optional.empty();
    }
    String header = authorization.trim();
    int space = header.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
    String value = header.substring(space + 1).trim();
    if (scheme.equals("bearer")) {
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
    if (!scheme.equals("basic")) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    return password.isEmpty() ? Optional.empty() : Optional.of(password);
  }
}
