package dev.wheelhouse.server.http;

/** Matching of {@code If-None-Match} and {@code If-Range} values against an entity tag. */
public final class EntityTags {
  private EntityTags() {}

  /** Weak comparison, as RFC 9110 asks for If-None-Match: any listed tag, or {@code *}. */
  public static boolean noneMatchHits(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String ours = opaque(etag);
    for (String candidate : ifNoneMatch.split(",", -1)) {
      String tag = candidate.trim();
      if (tag.equals("*") || opaque(tag).equals(ours)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
