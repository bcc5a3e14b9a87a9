package dev.wheelhouse.storage;

import java.util.Objects;

/**
 * Identifies a rendered index page.
 *
 * @param project normalized project name, or "" for the index's root listing
 * @param variant the representation, e.g. "html" or "json"
 */
public record PageKey(String index, String project, String variant) {
  public PageKey {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(variant, "variant");
  }

  /** The key of an index's root listing ({@code /simple/}). */
  public static PageKey root(String index, String variant) {
    return new PageKey(index, "", variant);
  }

  public boolean isRoot() {
    return project.isEmpty();
  }

  /** Approximate heap footprint of the key, for cache weighing. */
  int weight() {
    return 2 * (index.length() + project.length() + variant.length()) + 64;
  }
}
