package dev.wheelhouse.server.ops;

import static dev.wheelhouse.server.http.Html.escape;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.lifecycle.OwnerTotal;
import dev.wheelhouse.server.lifecycle.ProjectTotal;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.StatsReport;
import dev.wheelhouse.server.lifecycle.StoreStats;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.storage.BlobTotals;
import dev.wheelhouse.storage.MetadataStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /}: a plain page for people: the indexes and how to use them, then what the store
 * holds (per index or apt mirror, largest projects), the traffic since start, the last prune, and
 * for those who may read the indexes the recent builds and the platforms that found no wheel.
 *
 * <p>Server-rendered HTML without JavaScript. Tables have stable ids ({@code indexes}, {@code
 * storage}, {@code totals}, {@code traffic}, {@code largest}, {@code last-prune}, {@code builds},
 * {@code misses}) and their cells carry the raw numbers in {@code data-*} attributes, so scripts
 * can read the page too.
 *
 * <p>The storage figures come from {@link StoreStats#compute()}, which streams the whole store, and
 * the recent builds and misses from {@link RecentActivity}, which scans the provenance and miss
 * rows: each runs on a worker and its result is kept for {@link #STATS_MAX_AGE}; concurrent
 * requests share one computation.
 */
public final class HomePage {
  /** How long computed storage figures, builds and misses are shown before recomputing. */
  static final Duration STATS_MAX_AGE = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(HomePage.class);
  private static final String STATS_KEY = "stats";
  private static final String RECENT_KEY = "recent";
  private static final DateTimeFormatter SHOWN_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em;max-width:70em}"
          + "table{border-collapse:collapse;margin-bottom:1em}"
          + "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
          + "td.num,tfoot td.num{text-align:right;font-variant-numeric:tabular-nums}"
          + "tfoot{font-weight:bold}code{background:#f4f4f4;padding:.1em .3em}"
          + ".note{color:#666;font-size:.9em}";

  private final IndexRegistry registry;
  private final MetadataStore metadata;
  private final Sources sources;
  private final AsyncCache<String, StatsReport> statsCache =
      Caffeine.newBuilder().expireAfterWrite(STATS_MAX_AGE).maximumSize(1).buildAsync();
  private final AsyncCache<String, RecentActivity.Shown> recentCache =
      Caffeine.newBuilder().expireAfterWrite(STATS_MAX_AGE).maximumSize(1).buildAsync();

  /**
   * The page.
   *
   * @param stats what the store holds; computed on {@code blocking} at most every {@link
   *     #STATS_MAX_AGE}
   * @param traffic bytes served and fetched, hits and misses since start
   * @param lastPrune the last prune run since start, if any
   * @param recent the recent builds and misses; computed on {@code blocking} at most every {@link
   *     #STATS_MAX_AGE}, shown to requests that {@code auth} lets read the indexes
   * @param blocking where {@code stats} and {@code recent} are computed
   */
  public HomePage(
      IndexRegistry registry,
      MetadataStore metadata,
      StoreStats stats,
      TrafficTotals traffic,
      Supplier<Optional<PruneReport>> lastPrune,
      RecentActivity recent,
      Authenticator auth,
      BlockingExecutor blocking) {
    this.registry = registry;
    this.metadata = metadata;
    this.sources = new Sources(stats, traffic, lastPrune, recent, auth, blocking);
  }

  /** Where the sections beyond the indexes come from. */
  private record Sources(
      StoreStats stats,
      TrafficTotals traffic,
      Supplier<Optional<PruneReport>> lastPrune,
      RecentActivity recent,
      Authenticator auth,
      BlockingExecutor blocking) {
    Sources {
      Objects.requireNonNull(stats, "stats");
      Objects.requireNonNull(traffic, "traffic");
      Objects.requireNonNull(lastPrune, "lastPrune");
      Objects.requireNonNull(recent, "recent");
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(blocking, "blocking");
    }
  }

  public void register(Router router) {
    router.get("/").handler(RequestMetrics.label("/")).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    String host =
        ctx.request().authority() == null ? "HOST:PORT" : ctx.request().authority().toString();
    Sources from = sources;
    Future<Optional<StatsReport>> report =
        cached(ctx, statsCache, STATS_KEY, from.stats()::compute, "storage statistics");
    // Builds and misses name projects and files: only for those who may read the indexes.
    Future<Optional<RecentActivity.Shown>> recent =
        from.auth().mayRead(ctx.request().getHeader("Authorization"))
            ? cached(ctx, recentCache, RECENT_KEY, from.recent()::compute, "recent activity")
            : Future.succeededFuture(Optional.empty());
    report
        .compose(
            stats ->
                recent.map(
                    activity ->
                        render(
                            host,
                            registry,
                            metadata.blobTotals(),
                            Optional.of(
                                new Details(
                                    stats,
                                    from.traffic().now(),
                                    from.lastPrune().get(),
                                    activity)))))
        .onSuccess(html -> send(ctx, html))
        .onFailure(ctx::fail);
  }

  /**
   * The value kept in {@code cache}, computed on a worker when missing or expired; empty, and
   * logged, when computing it failed. One computation at a time, shared by concurrent requests; a
   * failed one is not kept.
   */
  private <T> Future<Optional<T>> cached(
      RoutingContext ctx,
      AsyncCache<String, T> cache,
      String key,
      Callable<T> compute,
      String what) {
    BlockingExecutor blocking = sources.blocking();
    return Future.fromCompletionStage(
            cache.get(
                key,
                (ignored, executor) ->
                    blocking.run(compute).toCompletionStage().toCompletableFuture()),
            ctx.vertx().getOrCreateContext())
        .map(Optional::of)
        .otherwise(
            failure -> {
              LOG.warn("{} for the home page failed", what, failure);
              return Optional.empty();
            });
  }

  private static void send(RoutingContext ctx, String html) {
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(html);
  }

  /**
   * What the page shows beyond the indexes and blob totals.
   *
   * @param stats what the store holds, or empty when computing it failed
   * @param traffic traffic since start
   * @param lastPrune the last prune since start
   * @param recent the recent builds and misses, or empty when not shown or computing them failed
   */
  record Details(
      Optional<StatsReport> stats,
      TrafficTotals.Totals traffic,
      Optional<PruneReport> lastPrune,
      Optional<RecentActivity.Shown> recent) {}

  /** The page's HTML; {@code details} is empty only for the deprecated constructor's page. */
  static String render(
      String host, IndexRegistry registry, BlobTotals blobs, Optional<Details> details) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">")
        .append("<title>wheelhouse</title><style>")
        .append(STYLE)
        .append(
            "</style></head>\n<body>\n<h1>wheelhouse</h1>\n<p><code>pip install --index-url http://")
        .append(escape(host))
        .append("/simple/ --trusted-host ")
        .append(escape(host.replaceFirst(":\\d+$", "")))
        .append(" PACKAGE</code></p>\n");
    indexes(html, registry);
    if (details.isEmpty()) {
      html.append("<h2>Storage</h2>\n");
      totals(html, Optional.empty(), blobs);
    } else {
      Details shown = details.get();
      storage(html, shown.stats(), blobs);
      traffic(html, shown.traffic());
      largest(html, shown.stats());
      lastPrune(html, shown.lastPrune());
      if (shown.recent().isPresent()) {
        RecentTables.builds(html, shown.recent().get().builds());
        RecentTables.misses(html, shown.recent().get().misses());
      }
    }
    html.append("<p><a href=\"/metrics\">metrics</a></p>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void indexes(StringBuilder html, IndexRegistry registry) {
    html.append("<h2>Indexes</h2>\n<table id=\"indexes\">\n")
        .append("<thead><tr><th>name</th><th>type</th><th>simple URL</th></tr></thead>\n<tbody>\n");
    for (IndexConfig index : registry.all()) {
      String url = "/index/" + index.name() + "/simple/";
      boolean isDefault = index.name().equals(registry.defaultIndex());
      html.append("<tr data-name=\"")
          .append(escape(index.name()))
          .append("\"><td>")
          .append(escape(index.name()))
          .append(isDefault ? " (default, /simple/)" : "")
          .append("</td><td>")
          .append(index.type().name().toLowerCase(Locale.ROOT))
          .append("</td><td><a href=\"")
          .append(escape(url))
          .append("\">")
          .append(escape(url))
          .append("</a></td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static void storage(StringBuilder html, Optional<StatsReport> stats, BlobTotals blobs) {
    html.append("<h2>Storage</h2>\n");
    if (stats.isEmpty()) {
      html.append(
          "<p id=\"storage-unavailable\">Storage figures could not be computed; see the server"
              + " log.</p>\n");
      totals(html, stats, blobs);
      return;
    }
    StatsReport report = stats.get();
    html.append("<table id=\"storage\">\n<thead><tr><th>index / mirror</th><th>kind</th>")
        .append("<th>files</th><th>size</th><th>hits</th><th>last access</th></tr></thead>\n")
        .append("<tbody>\n");
    if (report.owners().isEmpty()) {
      html.append("<tr><td colspan=\"6\">nothing stored yet</td></tr>\n");
    }
    long hits = 0;
    Optional<Instant> last = Optional.empty();
    for (OwnerTotal owner : report.owners()) {
      hits += owner.hits();
      if (owner.lastAccess().isPresent()
          && (last.isEmpty() || owner.lastAccess().get().isAfter(last.get()))) {
        last = owner.lastAccess();
      }
      html.append("<tr data-name=\"")
          .append(escape(owner.name()))
          .append("\" data-kind=\"")
          .append(escape(owner.kind()))
          .append("\"><td>")
          .append(escape(owner.name()))
          .append("</td><td>")
          .append(escape(owner.kind()))
          .append("</td>");
      count(html, "files", owner.files());
      size(html, "bytes", owner.bytes());
      count(html, "hits", owner.hits());
      time(html, "last-access", owner.lastAccess(), "never");
      html.append("</tr>\n");
    }
    html.append("</tbody>\n<tfoot><tr><td>total</td><td></td>");
    count(html, "files", report.entries());
    size(html, "bytes", report.bytes());
    count(html, "hits", hits);
    time(html, "last-access", last, "never");
    html.append("</tr></tfoot>\n</table>\n");
    totals(html, stats, blobs);
    html.append("<p class=\"note\">A file held by two indexes is counted in both; the blob store")
        .append(" keeps it once. Storage figures are up to ")
        .append(STATS_MAX_AGE.toSeconds())
        .append(" s old; hits and last access reach the store every few seconds.</p>\n");
  }

  private static void totals(StringBuilder html, Optional<StatsReport> stats, BlobTotals blobs) {
    html.append("<table id=\"totals\">\n");
    if (stats.isPresent()) {
      html.append("<tr><th>entries</th>");
      count(html, "entries", stats.get().entries());
      html.append("</tr>\n<tr><th>entry bytes</th>");
      size(html, "bytes", stats.get().bytes());
      html.append("</tr>\n");
    }
    html.append("<tr><th>blobs</th>");
    count(html, "blobs", blobs.count());
    html.append("</tr>\n<tr><th>blob bytes</th>");
    size(html, "blob-bytes", blobs.bytes());
    html.append("</tr>\n</table>\n");
  }

  private static void traffic(StringBuilder html, TrafficTotals.Totals traffic) {
    long saved = Math.max(0, traffic.servedBytes() - traffic.fetchedBytes());
    html.append(
        "<h2>Traffic since start</h2>\n<table id=\"traffic\">\n<tr><th>cache hit ratio</th>");
    Optional<Double> ratio = traffic.hitRatio();
    if (ratio.isPresent()) {
      html.append("<td class=\"num\" data-hit-ratio=\"")
          .append(ratio.get())
          .append("\">")
          .append(String.format(Locale.ROOT, "%.1f %%", ratio.get() * 100))
          .append("</td>");
    } else {
      html.append("<td class=\"num\" data-hit-ratio=\"\">no cache lookups yet</td>");
    }
    html.append("</tr>\n<tr><th>cache hits</th>");
    count(html, "hits", traffic.hits());
    html.append("</tr>\n<tr><th>cache misses</th>");
    count(html, "misses", traffic.misses());
    html.append("</tr>\n<tr><th>bytes served</th>");
    size(html, "served-bytes", traffic.servedBytes());
    html.append("</tr>\n<tr><th>bytes fetched upstream</th>");
    size(html, "fetched-bytes", traffic.fetchedBytes());
    html.append("</tr>\n<tr><th>bytes saved</th>");
    size(html, "saved-bytes", saved);
    html.append("</tr>\n</table>\n");
  }

  private static void largest(StringBuilder html, Optional<StatsReport> stats) {
    if (stats.isEmpty()) {
      return;
    }
    html.append("<h2>Largest projects</h2>\n<table id=\"largest\">\n")
        .append("<thead><tr><th>#</th><th>index / mirror</th><th>project</th><th>files</th>")
        .append("<th>size</th></tr></thead>\n<tbody>\n");
    if (stats.get().largestProjects().isEmpty()) {
      html.append("<tr><td colspan=\"5\">nothing stored yet</td></tr>\n");
    }
    int rank = 0;
    for (ProjectTotal project : stats.get().largestProjects()) {
      rank++;
      html.append("<tr data-index=\"")
          .append(escape(project.index()))
          .append("\" data-project=\"")
          .append(escape(project.project()))
          .append("\"><td class=\"num\">")
          .append(rank)
          .append("</td><td>")
          .append(escape(project.index()))
          .append("</td><td>")
          .append(escape(project.project()))
          .append("</td>");
      count(html, "files", project.files());
      size(html, "bytes", project.bytes());
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static void lastPrune(StringBuilder html, Optional<PruneReport> last) {
    html.append("<h2>Last prune</h2>\n");
    if (last.isEmpty()) {
      html.append(
          "<table id=\"last-prune\" data-ran=\"false\">\n<tr><th>when</th><td>never (since"
              + " start)</td></tr>\n</table>\n");
      return;
    }
    PruneReport prune = last.get();
    html.append("<table id=\"last-prune\" data-ran=\"true\">\n<tr><th>when</th>");
    time(html, "finished-at", Optional.of(prune.finishedAt()), "");
    html.append("</tr>\n<tr><th>mode</th><td data-applied=\"")
        .append(prune.applied())
        .append("\">")
        .append(prune.applied() ? "applied" : "dry run")
        .append("</td></tr>\n<tr><th>files selected</th>");
    count(html, "entries-selected", prune.entriesSelected());
    html.append("</tr>\n<tr><th>bytes selected</th>");
    size(html, "bytes-selected", prune.bytesSelected());
    html.append("</tr>\n<tr><th>bytes freed</th>");
    size(html, "bytes-freed", prune.bytesFreed());
    html.append("</tr>\n</table>\n");
  }

  /** A number cell: {@code <td data-NAME="raw">1,234</td>}. */
  static void count(StringBuilder html, String name, long value) {
    html.append("<td class=\"num\" data-")
        .append(name)
        .append("=\"")
        .append(value)
        .append("\">")
        .append(String.format(Locale.ROOT, "%,d", value))
        .append("</td>");
  }

  /** A size cell: human-readable, the exact bytes in {@code data-NAME} and the title. */
  private static void size(StringBuilder html, String name, long bytes) {
    html.append("<td class=\"num\" data-")
        .append(name)
        .append("=\"")
        .append(bytes)
        .append("\" title=\"")
        .append(String.format(Locale.ROOT, "%,d", bytes))
        .append(" bytes\">")
        .append(human(bytes))
        .append("</td>");
  }

  /** A time cell: the ISO instant in {@code data-NAME} and a {@code <time>} element. */
  static void time(StringBuilder html, String name, Optional<Instant> when, String absent) {
    if (when.isEmpty()) {
      html.append("<td data-").append(name).append("=\"\">").append(absent).append("</td>");
      return;
    }
    String iso = when.get().truncatedTo(ChronoUnit.SECONDS).toString();
    html.append("<td data-")
        .append(name)
        .append("=\"")
        .append(when.get())
        .append("\"><time datetime=\"")
        .append(iso)
        .append("\">")
        .append(SHOWN_TIME.format(when.get()))
        .append("</time></td>");
  }

  /** {@code 999 B}, {@code 1.5 KiB}, {@code 20.0 MiB}... (binary units). */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    String shown = String.format(Locale.ROOT, "%.1f", value);
    if (shown.equals("1024.0") && unit < UNITS.length - 1) {
      shown = "1.0";
      unit++;
    }
    return shown + " " + UNITS[unit];
  }
}
