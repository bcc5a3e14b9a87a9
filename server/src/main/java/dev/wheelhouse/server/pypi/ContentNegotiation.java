package dev.wheelhouse.server.pypi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PEP 691 content negotiation: the offered format with the highest q-value wins, the most specific
 * matching media range deciding each format's q. Ties go to JSON when named explicitly and to
 * {@code text/html} when only wildcards matched (what PyPI does for browsers and bare clients).
 */
public final class ContentNegotiation {
  private record MediaRange(String type, String subtype, double q) {
    int specificity(String mediaType) {
      String[] parts = mediaType.split("/", 2);
      if (type.equals("*") && subtype.equals("*")) {
        return 1;
      }
      if (!type.equals(parts[0])) {
        return -1;
      }
      if (subtype.equals("*")) {
        return 2;
      }
      return subtype.equals(parts[1]) ? 3 : -1;
    }
  }

  private ContentNegotiation() {}

  /** The format to answer with, or empty when nothing acceptable is offered (406). */
  public static Optional<SimpleFormat> choose(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.of(SimpleFormat.HTML);
    }
    List<MediaRange> ranges = parse(accept);
    SimpleFormat best = null;
    double bestQ = 0;
    int bestSpecificity = 0;
    for (SimpleFormat format : preference(ranges)) {
      int specificity = -1;
      double q = 0;
      for (MediaRange range : ranges) {
        int s = range.specificity(format.mediaType());
        if (s > specificity) {
          specificity = s;
          q = range.q();
        }
      }
      if (specificity < 0 || q <= 0) {
        continue;
      }
      if (best == null || q > bestQ || (q == bestQ && specificity > bestSpecificity)) {
        best = format;
        bestQ = q;
        bestSpecificity = specificity;
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<SimpleFormat> preference(List<MediaRange> ranges) {
    boolean namesJson =
        ranges.stream().anyMatch(r -> r.subtype().equals("vnd.pypi.simple.v1+json"));
    return namesJson
        ? List.of(SimpleFormat.JSON_V1, SimpleFormat.HTML_V1, SimpleFormat.HTML)
        : List.of(SimpleFormat.HTML, SimpleFormat.JSON_V1, SimpleFormat.HTML_V1);
  }

  private static List<MediaRange> parse(String accept) {
    List<MediaRange> out = new ArrayList<>();
    for (String item : accept.split(",", -1)) {
      String[] params = item.split(";", -1);
      String mediaType = params[0].trim().toLowerCase(Locale.ROOT);
      // PEP 691's "latest" aliases name the newest version this server speaks.
      mediaType = mediaType.replace("vnd.pypi.simple.latest+", "vnd.pypi.simple.v1+");
      int slash = mediaType.indexOf('/');
      if (slash <= 0 || slash == mediaType.length() - 1) {
        continue;
      }
      double q = 1.0;
      for (int i = 1; i < params.length; i++) {
        String param = params[i].trim();
        if (param.startsWith("q=") || param.startsWith("Q=")) {
          try {
            q = Double.parseDouble(param.substring(2).trim());
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      out.add(new MediaRange(mediaType.substring(0, slash), mediaType.substring(slash + 1), q));
    }
    return out;
  }
}
