package dev.wheelhouse.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Binds {@code auth}: the token list and anonymous reads. */
final class AuthBinder {
  private static final Function<String, Role> ROLE = Scalars.lowercaseEnum(Role.class, "role");

  private AuthBinder() {}

  static AuthConfig bind(Node node) {
    Fields auth = node.fields();
    List<TokenConfig> tokens = new ArrayList<>();
    UniqueNames names = new UniqueNames("token name");
    Map<String, String> pathByHash = new HashMap<>();
    for (Node item : auth.get("tokens").items()) {
      Fields token = item.fields();
      Node nameNode = token.get("name");
      Optional<String> name = nameNode.required(Scalars::nonBlank);
      name.ifPresent(n -> names.claim(n, nameNode, item.path()));
      Node hashNode = token.get("hash");
      Optional<String> hash = hashNode.required(AuthBinder::hash);
      // Two names for one token would make logs name the wrong holder.
      hash.map(h -> pathByHash.putIfAbsent(h, item.path()))
          .ifPresent(earlier -> hashNode.error("duplicate token hash (also at " + earlier + ")"));
      Set<Role> roles = roles(token.get("roles"));
      token.rejectUnknown();
      if (name.isPresent() && hash.isPresent()) {
        tokens.add(new TokenConfig(name.get(), hash.get(), roles));
      }
    }
    boolean anonymousRead = auth.get("anonymous-read").as(Scalars::bool).orElse(true);
    auth.rejectUnknown();
    return new AuthConfig(tokens, anonymousRead);
  }

  private static Set<Role> roles(Node node) {
    if (!node.isPresent()) {
      return TokenConfig.DEFAULT_ROLES;
    }
    if (node.isList() && node.items().isEmpty()) {
      node.error("expected at least one role (read, upload or admin)");
    }
    List<Role> roles = node.list(ROLE);
    EnumSet<Role> set = EnumSet.noneOf(Role.class);
    set.addAll(roles);
    return set;
  }

  // Hex case does not matter to anyone, so accept either and store the canonical lowercase form.
  private static String hash(String text) {
    String canonical = text.strip().toLowerCase(Locale.ROOT);
    if (Tokens.isHash(canonical)) {
      return canonical;
    }
    if (Tokens.looksLikeToken(text)) {
      throw new IllegalArgumentException(
          "expected sha256:<64 hex>; this looks like a token itself: configure only its hash");
    }
    throw new IllegalArgumentException("expected sha256:<64 hex>");
  }
}
