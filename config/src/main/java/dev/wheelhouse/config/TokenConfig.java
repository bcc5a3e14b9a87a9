package dev.wheelhouse.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One API token, stored as its hash.
 *
 * @param name who or what holds the token (logs and metrics show it); required, unique
 * @param hash {@code sha256:<64 lowercase hex>} of the token, see {@link Tokens#hash}; required
 * @param roles what the token may do; default {@code [read]}
 */
public record TokenConfig(String name, String hash, Set<Role> roles) {
  /** Roles of a token that names none. */
  public static final Set<Role> DEFAULT_ROLES = Collections.unmodifiableSet(EnumSet.of(Role.READ));

  public TokenConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
    EnumSet<Role> copy = EnumSet.noneOf(Role.class);
    copy.addAll(roles);
    roles = Collections.unmodifiableSet(copy);
  }

  /** Whether this token was given {@code role}. */
  public boolean has(Role role) {
    return roles.contains(role);
  }
}
