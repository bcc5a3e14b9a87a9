package dev.wheelhouse.config;

/**
 * What a token may do; written in lowercase in YAML ({@code read}, {@code upload}, {@code admin}).
 */
public enum Role {
  /** Read indexes and files (needed only when {@code auth.anonymous-read} is false). */
  READ,
  /** Upload to hosted indexes. */
  UPLOAD,
  /** Use {@code /admin/}: stats, prune, verify, builds. */
  ADMIN
}
