package dev.wheelhouse.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over project names, as used by {@code include}, {@code exclude}, {@code routes}, {@code
 * merge-allowed} and {@code prune.keep}: {@code *} matches any run of characters, {@code ?} one
 * character. Both sides are compared in PEP 503 normalized form, so {@code Nvidia_*} matches {@code
 * nvidia-cublas-cu12}.
 *
 * @param glob the pattern as written in the configuration
 */
public record ProjectPattern(String glob) {
  private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._*?-]+");
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  public ProjectPattern {
    Objects.requireNonNull(glob, "glob");
    if (!SYNTAX.matcher(glob).matches()) {
      throw new IllegalArgumentException(
          "expected a project name pattern (letters, digits, '.', '_', '-' and wildcards * ?), got '"
              + glob
              + "'");
    }
  }

  /** Whether any of {@code globs} matches {@code project}. */
  public static boolean anyMatches(Collection<String> globs, String project) {
    for (String glob : globs) {
      if (new ProjectPattern(glob).matches(project)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this pattern matches {@code project}, compared in PEP 503 normalized form. */
  public boolean matches(String project) {
    return globMatches(normalize(glob), normalize(project));
  }

  static String normalize(String name) {
    return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  // Iterative wildcard matching with one backtrack point: linear in practice, no regex per call.
  private static boolean globMatches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return glob;
  }
}
