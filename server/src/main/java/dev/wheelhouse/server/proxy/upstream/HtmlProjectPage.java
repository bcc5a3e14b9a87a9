package dev.wheelhouse.server.proxy.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * PEP 503 HTML project pages. jsoup parses them as browsers do, so fragments without {@code
 * <html>}, unclosed tags and entity-escaped attributes (PyTorch's static pages) all work.
 */
final class HtmlProjectPage {
  private HtmlProjectPage() {}

  /** Every link that can name a file, in page order; the caller filters by file name. */
  static List<UpstreamFile> files(byte[] body, URI pageUrl) throws UpstreamFormatException {
    // PEP 503 pages are UTF-8; file names are ASCII whatever the encoding.
    Document document = Jsoup.parse(new String(body, UTF_8), pageUrl.toString());
    checkRepositoryVersion(document);
    URI base = base(document, pageUrl);
    List<UpstreamFile> files = new ArrayList<>();
    for (Element anchor : document.getElementsByTag("a")) {
      if (anchor.hasAttr("href")) {
        FileLink.resolve(base, anchor.attr("href"))
            .ifPresent(link -> files.add(file(anchor, link)));
      }
    }
    return files;
  }

  private static UpstreamFile file(Element anchor, FileLink link) {
    return new UpstreamFile(
        link.filename(),
        link.url(),
        link.fragmentSha256(),
        Optional.of(anchor.attr("data-requires-python")).filter(s -> !s.isBlank()),
        anchor.hasAttr("data-yanked") ? Optional.of(anchor.attr("data-yanked")) : Optional.empty(),
        coreMetadata(anchor),
        OptionalLong.empty(),
        Optional.empty());
  }

  // PEP 714 renamed data-dist-info-metadata; older upstreams only send the legacy name.
  private static Optional<CoreMetadataRef> coreMetadata(Element anchor) {
    for (String attribute : List.of("data-core-metadata", "data-dist-info-metadata")) {
      if (anchor.hasAttr(attribute)) {
        return CoreMetadataRef.fromAttribute(anchor.attr(attribute));
      }
    }
    return Optional.empty();
  }

  // Links resolve against the first <base href> (as in browsers), else against the page URL.
  private static URI base(Document document, URI pageUrl) {
    for (Element base : document.getElementsByTag("base")) {
      if (base.hasAttr("href")) {
        String href = base.attr("href").strip();
        int hash = href.indexOf('#');
        return FileLink.absolute(pageUrl, hash < 0 ? href : href.substring(0, hash))
            .orElse(pageUrl);
      }
    }
    return pageUrl;
  }

  // PEP 629: a client must refuse a major version it does not know. Pages without the tag are 1.0.
  private static void checkRepositoryVersion(Document document) throws UpstreamFormatException {
    for (Element meta : document.getElementsByTag("meta")) {
      if (meta.attr("name").equalsIgnoreCase("pypi:repository-version")) {
        ApiVersion.check(meta.attr("content"), "pypi:repository-version");
      }
    }
  }
}
