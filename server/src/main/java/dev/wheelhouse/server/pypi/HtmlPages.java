package dev.wheelhouse.server.pypi;

import static dev.wheelhouse.server.http.Html.escape;

import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.storage.ProjectRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** PEP 503 HTML pages (repository version 1.1), with PEP 592/658/700 attributes. */
final class HtmlPages {
  private HtmlPages() {}

  static byte[] project(ProjectPage page, String filesBase) {
    StringBuilder html = new StringBuilder(256 + page.files().size() * 256);
    String title = escape(page.displayName());
    html.append("<!DOCTYPE html>\n<html>\n  <head>\n")
        .append("    <meta name=\"pypi:repository-version\" content=\"1.1\">\n")
        .append("    <title>Links for ")
        .append(title)
        .append("</title>\n  </head>\n  <body>\n    <h1>Links for ")
        .append(title)
        .append("</h1>\n");
    for (PageFile file : page.files()) {
      html.append("    <a href=\"").append(escape(FileLinks.href(filesBase, file)));
      // Every link carries its hash, except a proxied file whose upstream gave none yet.
      file.sha256().ifPresent(sha -> html.append("#sha256=").append(sha));
      html.append('"');
      file.requiresPython()
          .ifPresent(rp -> html.append(" data-requires-python=\"").append(escape(rp)).append('"'));
      file.coreMetadata()
          .ifPresent(
              m -> {
                String value = m.sha256().map(sha -> "sha256=" + sha).orElse("true");
                html.append(" data-core-metadata=\"")
                    .append(value)
                    .append("\" data-dist-info-metadata=\"")
                    .append(value)
                    .append('"');
              });
      file.yanked()
          .ifPresent(reason -> html.append(" data-yanked=\"").append(escape(reason)).append('"'));
      html.append('>').append(escape(file.filename())).append("</a><br>\n");
    }
    html.append("  </body>\n</html>\n");
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] root(List<ProjectRecord> projects) {
    StringBuilder html = new StringBuilder(256 + projects.size() * 64);
    html.append("<!DOCTYPE html>\n<html>\n  <head>\n")
        .append("    <meta name=\"pypi:repository-version\" content=\"1.1\">\n")
        .append("    <title>Simple index</title>\n  </head>\n  <body>\n");
    for (ProjectRecord project : projects) {
      html.append("    <a href=\"")
          .append(PathSegments.encode(project.project()))
          .append("/\">")
          .append(escape(project.displayName()))
          .append("</a><br>\n");
    }
    html.append("  </body>\n</html>\n");
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }
}
