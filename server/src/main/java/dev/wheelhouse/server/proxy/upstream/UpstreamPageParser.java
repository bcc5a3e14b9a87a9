package dev.wheelhouse.server.proxy.upstream;

import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an upstream project page (PEP 503 HTML or PEP 691 JSON) into an {@link UpstreamProject}.
 *
 * <p>Only distribution files of the page's project are kept: upstreams also list {@code .exe},
 * {@code .egg}, {@code .tar.bz2} and other projects' files, and such entries are skipped rather
 * than failing the page. A file name listed twice keeps its first entry. Only a page that cannot be
 * read as a whole is an {@link UpstreamFormatException}.
 *
 * <p>Arguments: {@code pageUrl} is the absolute URL the page was fetched from (after redirects),
 * which relative links resolve against; {@code project} must be a valid project name ({@link
 * IllegalArgumentException} otherwise).
 */
public final class UpstreamPageParser {
  private UpstreamPageParser() {}

  /**
   * Parses by content type: JSON for {@code application/vnd.pypi.simple.v1+json}, any {@code +json}
   * and {@code application/json}; HTML for {@code text/html} and {@code +html} types. A missing or
   * unknown type (static hosts send {@code text/plain} or {@code application/octet-stream}) is
   * sniffed: HTML if the body starts with {@code <}, JSON if it starts with <code>{</code>.
   */
  public static UpstreamProject parse(byte[] body, String contentType, URI pageUrl, String project)
      throws UpstreamFormatException {
    ProjectName expected = ProjectName.of(project);
    if (isJson(contentType, body)) {
      return filter(JsonProjectPage.read(body, checked(pageUrl), Optional.of(project)), expected);
    }
    return parseHtml(body, pageUrl, project);
  }

  /** Parses a PEP 691 page; files are kept if they belong to the page's own {@code name}. */
  public static UpstreamProject parseJson(byte[] body, URI pageUrl) throws UpstreamFormatException {
    UpstreamProject page = JsonProjectPage.read(body, checked(pageUrl), Optional.empty());
    if (!ProjectName.isValid(page.name())) {
      throw new UpstreamFormatException(
          "invalid project name " + PackagingException.quote(page.name()) + " in PEP 691 page");
    }
    return filter(page, ProjectName.of(page.name()));
  }

  /** Parses a PEP 503 page; HTML has no project name, so the requested one is used. */
  public static UpstreamProject parseHtml(byte[] body, URI pageUrl, String project)
      throws UpstreamFormatException {
    ProjectName expected = ProjectName.of(project);
    return new UpstreamProject(
        project, ofProject(HtmlProjectPage.files(body, checked(pageUrl)), expected));
  }

  // A page naming another project is not a page for this one, whatever files it lists; caching it
  // as "no files" would hide the upstream's mistake.
  private static UpstreamProject filter(UpstreamProject page, ProjectName expected)
      throws UpstreamFormatException {
    if (!ProjectName.normalize(page.name()).equals(expected.value())) {
      throw new UpstreamFormatException(
          "page is for project "
              + PackagingException.quote(page.name())
              + ", not "
              + PackagingException.quote(expected.value()));
    }
    return new UpstreamProject(page.name(), ofProject(page.files(), expected));
  }

  private static List<UpstreamFile> ofProject(List<UpstreamFile> files, ProjectName project) {
    List<UpstreamFile> kept = new ArrayList<>(files.size());
    Set<String> seen = new HashSet<>();
    for (UpstreamFile file : files) {
      if (belongsTo(file.filename(), project) && seen.add(file.filename())) {
        kept.add(file);
      }
    }
    return kept;
  }

  private static boolean belongsTo(String filename, ProjectName project) {
    try {
      return DistributionFilename.parse(filename).project().equals(project);
    } catch (PackagingException e) {
      return false; // not a .whl, .tar.gz or .zip we understand: .exe, .egg, .tar.bz2, junk
    }
  }

  private static boolean isJson(String contentType, byte[] body) throws UpstreamFormatException {
    String type = mediaType(contentType);
    if (type.equals("application/json") || type.endsWith("+json")) {
      return true;
    }
    if (type.equals("text/html") || type.endsWith("+html") || type.endsWith("+xml")) {
      return false;
    }
    int first = firstSignificantByte(body);
    if (first == '<' || first == '{') {
      return first == '{';
    }
    throw new UpstreamFormatException(
        "unsupported content type "
            + PackagingException.quote(contentType == null ? "(none)" : contentType)
            + " for a simple index page");
  }

  // "Application/VND.pypi.simple.v1+JSON; charset=utf-8" -> "application/vnd.pypi.simple.v1+json"
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  // Skips a UTF-8 byte order mark and ASCII whitespace; -1 for an empty body.
  private static int firstSignificantByte(byte[] body) {
    int i = 0;
    if (body.length >= 3
        && body[0] == (byte) 0xEF
        && body[1] == (byte) 0xBB
        && body[2] == (byte) 0xBF) {
      i = 3;
    }
    while (i < body.length && " \t\r\n\f".indexOf(body[i]) >= 0) {
      i++;
    }
    return i < body.length ? body[i] : -1;
  }

  private static URI checked(URI pageUrl) {
    Objects.requireNonNull(pageUrl, "pageUrl");
    if (!pageUrl.isAbsolute() || pageUrl.isOpaque()) {
      throw new IllegalArgumentException("page URL must be absolute: " + pageUrl);
    }
    return pageUrl;
  }
}
