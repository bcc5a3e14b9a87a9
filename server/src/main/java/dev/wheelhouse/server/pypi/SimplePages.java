package dev.wheelhouse.server.pypi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.storage.CachedPage;
import dev.wheelhouse.storage.PageCache;
import dev.wheelhouse.storage.PageKey;
import dev.wheelhouse.storage.ProjectRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rendered simple-API pages, served from the in-memory page cache and rendered from the metadata
 * store on a miss. The entity tag is a digest of the body, so it changes exactly when the page
 * does.
 */
public final class SimplePages {
  private final IndexRegistry registry;
  private final ProjectPageService pages;
  private final PageCache cache;
  private final Clock clock;
  // Pages that show proxy members, kept until the earliest member must be revalidated.
  private final Cache<PageKey, TimedPage> proxied;

  private record TimedPage(CachedPage page, Instant validUntil) {}

  public SimplePages(
      IndexRegistry registry,
      ProjectPageService pages,
      PageCache cache,
      long proxiedCacheBytes,
      Clock clock) {
    this.registry = registry;
    this.pages = pages;
    this.cache = cache;
    this.clock = clock;
    this.proxied =
        Caffeine.newBuilder()
            .maximumWeight(proxiedCacheBytes)
            .weigher((PageKey k, TimedPage p) -> p.page().body().length + 256)
            .build();
  }

  /**
   * A page already in memory, without touching the store: safe on an event loop. Only pages of
   * indexes without proxies are kept rendered; a proxy page must be checked for freshness first.
   */
  public Optional<CachedPage> cached(String index, String project, SimpleFormat format, int depth) {
    PageKey key = key(index, project, format, depth);
    if (registry.involvesProxy(index)) {
      TimedPage timed = proxied.getIfPresent(key);
      return timed != null && clock.instant().isBefore(timed.validUntil())
          ? Optional.of(timed.page())
          : Optional.empty();
    }
    return cache.get(key);
  }

  /** Renders (blocking) a project page; empty when no member holds the project. */
  public Optional<RenderedPage> project(
      String index, ProjectName name, SimpleFormat format, int depth) {
    boolean keep = !registry.involvesProxy(index);
    PageKey key = key(index, name.value(), format, depth);
    if (keep) {
      Optional<CachedPage> hit = cache.get(key);
      if (hit.isPresent()) {
        return hit.map(RenderedPage::fresh);
      }
    }
    Optional<ProjectPage> page = pages.project(index, name);
    if (page.isEmpty()) {
      return Optional.empty();
    }
    String root = "../".repeat(depth);
    byte[] body =
        format.body().equals("json")
            ? JsonPages.project(page.get(), root + "files/", root + "provenance/")
            : HtmlPages.project(page.get(), root + "files/");
    CachedPage rendered = new CachedPage(body, format.contentType(), etag(format, body));
    if (keep) {
      cache.put(key, rendered);
    } else if (page.get().stale().isEmpty() && page.get().validUntil().isPresent()) {
      proxied.put(key, new TimedPage(rendered, page.get().validUntil().get()));
    }
    return Optional.of(new RenderedPage(rendered, page.get().stale()));
  }

  /** Renders (blocking) and caches the list of projects of an index. */
  public CachedPage root(String index, SimpleFormat format) {
    if (registry.involvesProxy(index)) {
      List<ProjectRecord> projects = pages.projects(index);
      byte[] body =
          format.body().equals("json") ? JsonPages.root(projects) : HtmlPages.root(projects);
      return new CachedPage(body, format.contentType(), etag(format, body));
    }
    return cache.get(
        key(index, "", format, 1),
        k -> {
          List<ProjectRecord> projects = pages.projects(index);
          byte[] body =
              format.body().equals("json") ? JsonPages.root(projects) : HtmlPages.root(projects);
          return new CachedPage(body, format.contentType(), etag(format, body));
        });
  }

  /** Drops every cached page that shows {@code project} of any of {@code indexes}. */
  public void invalidate(List<String> indexes, String project) {
    for (String index : indexes) {
      cache.invalidateProject(index, project);
    }
    proxied
        .asMap()
        .keySet()
        .removeIf(
            k ->
                indexes.contains(k.index())
                    && (k.project().equals(project) || k.project().isEmpty()));
  }

  private static PageKey key(String index, String project, SimpleFormat format, int depth) {
    // The variant carries the format and the page's depth, since file links are relative to it.
    return new PageKey(index, project, format.name() + "/" + depth);
  }

  private static String etag(SimpleFormat format, byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + format.body() + "-" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
