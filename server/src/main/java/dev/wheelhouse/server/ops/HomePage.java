package dev.wheelhouse.server.ops;

import static dev.wheelhouse.server.http.Html.escape;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.storage.BlobTotals;
import dev.wheelhouse.storage.MetadataStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /}: a plain page for people: the indexes, how to use them, what the store holds. */
public final class HomePage {
  private final IndexRegistry registry;
  private final MetadataStore metadata;

  public HomePage(IndexRegistry registry, MetadataStore metadata) {
    this.registry = registry;
    this.metadata = metadata;
  }

  public void register(Router router) {
    router.get("/").handler(RequestMetrics.label("/")).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    BlobTotals totals = metadata.blobTotals();
    String host =
        ctx.request().authority() == null ? "HOST:PORT" : ctx.request().authority().toString();
    StringBuilder html = new StringBuilder(2048);
    html.append(
            "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>wheelhouse</title></head>\n<body>\n")
        .append("<h1>wheelhouse</h1>\n<p>pip install --index-url http://")
        .append(escape(host))
        .append("/simple/ --trusted-host ")
        .append(escape(host.replaceFirst(":\\d+$", "")))
        .append(
            " PACKAGE</p>\n<h2>Indexes</h2>\n<table>\n<tr><th>name</th><th>type</th><th>simple URL</th></tr>\n");
    for (IndexConfig index : registry.all()) {
      String url = "/index/" + index.name() + "/simple/";
      html.append("<tr><td>")
          .append(escape(index.name()))
          .append(index.name().equals(registry.defaultIndex()) ? " (default, /simple/)" : "")
          .append("</td><td>")
          .append(index.type().name().toLowerCase(java.util.Locale.ROOT))
          .append("</td><td><a href=\"")
          .append(escape(url))
          .append("\">")
          .append(escape(url))
          .append("</a></td></tr>\n");
    }
    html.append("</table>\n<h2>Storage</h2>\n<p>")
        .append(totals.count())
        .append(" blobs, ")
        .append(totals.bytes())
        .append(" bytes</p>\n<p><a href=\"/metrics\">metrics</a></p>\n</body>\n</html>\n");
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html.toString());
  }
}
