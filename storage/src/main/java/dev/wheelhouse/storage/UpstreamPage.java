package dev.wheelhouse.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The last answer of an upstream index for one project page: the raw body (so it can be re-parsed
 * and re-rendered), its validators, and when it was fetched. The body array is shared, not copied:
 * pages can be megabytes, so nobody may modify it after construction.
 *
 * @param project PEP 503 normalized name
 * @param status 200, or 404 for a remembered "no such project"
 * @param url final URL of the page after redirects: relative links resolve against it
 * @param contentType as the upstream sent it, e.g. "application/vnd.pypi.simple.v1+json"
 * @param body the raw response body; empty for a 404
 * @param etag the upstream's ETag, for a conditional refresh (If-None-Match)
 * @param lastModified the upstream's Last-Modified, for a conditional refresh (If-Modified-Since)
 * @param fetchedAt when the upstream last answered (a 304 counts: it confirms the body)
 */
@SuppressWarnings("ArrayRecordComponent") // deliberate: see above; equals compares contents
public record UpstreamPage(
    String index,
    String project,
    int status,
    URI url,
    String contentType,
    byte[] body,
    Optional<String> etag,
    Optional<String> lastModified,
    Instant fetchedAt) {

  public UpstreamPage {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpstreamPage other
        && index.equals(other.index)
        && project.equals(other.project)
        && status == other.status
        && url.equals(other.url)
        && contentType.equals(other.contentType)
        && Arrays.equals(body, other.body)
        && etag.equals(other.etag)
        && lastModified.equals(other.lastModified)
        && fetchedAt.equals(other.fetchedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        index,
        project,
        status,
        url,
        contentType,
        Arrays.hashCode(body),
        etag,
        lastModified,
        fetchedAt);
  }

  @Override
  public String toString() {
    return "UpstreamPage["
        + index
        + "/"
        + project
        + ", "
        + status
        + " from "
        + url
        + ", "
        + contentType
        + ", "
        + body.length
        + " bytes, etag="
        + etag.orElse("-")
        + ", lastModified="
        + lastModified.orElse("-")
        + ", fetchedAt="
        + fetchedAt
        + "]";
  }
}
