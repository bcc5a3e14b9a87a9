package dev.wheelhouse.server.ops;

import static dev.wheelhouse.server.http.Html.escape;

import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.provenance.RecentBuild;
import dev.wheelhouse.storage.PlatformMiss;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The home page's {@code builds} and {@code misses} tables; each is left out while it has no rows.
 */
final class RecentTables {
  /** Sources longer than this many characters are shortened in the middle. */
  static final int SOURCE_SHOWN = 48;

  // Credentials in an http(s) URL's user part never reach the page.
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)(https?://)[^/@\\s]+@");

  private RecentTables() {}

  static void builds(StringBuilder html, List<RecentBuild> builds) {
    if (builds.isEmpty()) {
      return;
    }
    html.append("<h2>Recent builds</h2>\n<table id=\"builds\">\n<thead><tr><th>file</th>")
        .append("<th>index</th><th>platform</th><th>Python</th><th>source</th><th>emulated</th>")
        .append("<th>duration</th><th>built</th><th>log</th></tr></thead>\n<tbody>\n");
    for (RecentBuild build : builds) {
      String document =
          "/provenance/"
              + PathSegments.encode(build.index())
              + "/"
              + PathSegments.encode(build.filename());
      html.append("<tr data-index=\"")
          .append(escape(build.index()))
          .append("\" data-file=\"")
          .append(escape(build.filename()))
          .append("\"><td><a href=\"")
          .append(escape(document))
          .append("\">")
          .append(escape(build.filename()))
          .append("</a></td><td>")
          .append(escape(build.index()))
          .append("</td><td>")
          .append(escape(build.platform().orElse("")))
          .append("</td><td>")
          .append(escape(build.python().orElse("")))
          .append("</td>");
      source(html, build.source());
      html.append("<td data-emulated=\"")
          .append(build.emulated().map(String::valueOf).orElse(""))
          .append("\">")
          .append(build.emulated().map(emulated -> emulated ? "yes" : "no").orElse(""))
          .append("</td>");
      duration(html, build.durationSeconds());
      HomePage.time(html, "built-at", Optional.of(build.builtAt()), "");
      html.append("<td>");
      if (build.hasLog()) {
        html.append("<a href=\"").append(escape(document + "/log")).append("\">log</a>");
      }
      html.append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  static void misses(StringBuilder html, List<PlatformMiss> misses) {
    if (misses.isEmpty()) {
      return;
    }
    html.append("<h2>Platforms without wheels</h2>\n<table id=\"misses\">\n<thead><tr>")
        .append("<th>project</th><th>index</th><th>platform</th><th>Python</th><th>libc</th>")
        .append("<th>count</th><th>last seen</th><th>version</th></tr></thead>\n<tbody>\n");
    for (PlatformMiss miss : misses) {
      html.append("<tr data-index=\"")
          .append(escape(miss.index()))
          .append("\" data-project=\"")
          .append(escape(miss.project()))
          .append("\"><td>")
          .append(escape(miss.project()))
          .append("</td><td>")
          .append(escape(miss.index()))
          .append("</td><td>")
          .append(escape(miss.platform()))
          .append("</td><td>")
          .append(escape(miss.python()))
          .append("</td><td>")
          .append(escape(miss.libc()))
          .append("</td>");
      HomePage.count(html, "count", miss.count());
      HomePage.time(html, "last-seen", Optional.of(miss.lastSeen()), "");
      html.append("<td>").append(escape(miss.version().orElse(""))).append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n")
        .append("<p class=\"note\" id=\"misses-hint\"><code>wheelhouse build --missing</code>")
        .append(" builds them.</p>\n");
  }

  /** The source, shortened in the middle when long, in full in the title. */
  private static void source(StringBuilder html, Optional<String> source) {
    if (source.isEmpty()) {
      html.append("<td></td>");
      return;
    }
    String full = URL_CREDENTIALS.matcher(source.get()).replaceAll("$1***@");
    html.append("<td title=\"")
        .append(escape(full))
        .append("\">")
        .append(escape(shortened(full, SOURCE_SHOWN)))
        .append("</td>");
  }

  /** {@code text} if at most {@code max} code points, else its start and end around an ellipsis. */
  static String shortened(String text, int max) {
    int length = text.codePointCount(0, text.length());
    if (length <= max) {
      return text;
    }
    // The end names the commit or version: keep more of it than of the start.
    int tail = (max - 1) / 2 + 1;
    int head = max - 1 - tail;
    return text.substring(0, text.offsetByCodePoints(0, head))
        + "\u2026"
        + text.substring(text.offsetByCodePoints(text.length(), -tail));
  }

  /** A duration cell: seconds in {@code data-duration-seconds}, minutes and hours when long. */
  private static void duration(StringBuilder html, Optional<Double> seconds) {
    if (seconds.isEmpty()) {
      html.append("<td class=\"num\" data-duration-seconds=\"\"></td>");
      return;
    }
    html.append("<td class=\"num\" data-duration-seconds=\"")
        .append(seconds.get())
        .append("\">")
        .append(readableDuration(seconds.get()))
        .append("</td>");
  }

  /** {@code 42.5 s}, {@code 3 min 05 s}, {@code 1 h 02 min}. */
  static String readableDuration(double seconds) {
    if (seconds < 59.95) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long whole = Math.round(seconds);
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }
    long minutes = Math.round(seconds / 60);
    return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
  }
}
