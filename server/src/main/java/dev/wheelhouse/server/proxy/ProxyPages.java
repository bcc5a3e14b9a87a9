package dev.wheelhouse.server.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.ProjectPattern;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.server.proxy.upstream.UpstreamFormatException;
import dev.wheelhouse.server.proxy.upstream.UpstreamPageParser;
import dev.wheelhouse.server.proxy.upstream.UpstreamProject;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.UpstreamPage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project pages of one proxy index: served from the store while fresh, revalidated upstream with
 * conditional requests after the TTL, and served stale when upstream fails, so that an outage never
 * turns into a 404. An upstream 404 (or PyTorch's 403) is remembered for a short negative TTL. One
 * upstream request per project at a time, whatever the number of clients. Blocking: call on a
 * worker thread.
 */
public final class ProxyPages {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyPages.class);
  private static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(1);

  private final IndexConfig index;
  private final MetadataStore metadata;
  private final UpstreamHttp upstream;
  private final Clock clock;
  private final boolean offline;
  private final ProxyMetrics metrics;
  private final Map<String, CompletableFuture<ProxyLookup>> inFlight = new ConcurrentHashMap<>();
  // Parsed pages, reused while the stored page is unchanged: parsing a big page costs more than
  // rendering it.
  private final Cache<String, Parsed> parsed =
      Caffeine.newBuilder()
          .maximumWeight(256L << 20)
          .weigher((String k, Parsed p) -> p.weight())
          .build();

  private record Parsed(Instant fetchedAt, UpstreamProject project, int weight) {}

  public ProxyPages(
      IndexConfig index,
      MetadataStore metadata,
      UpstreamHttp upstream,
      Clock clock,
      boolean offline,
      ProxyMetrics metrics) {
    this.index = index;
    this.metadata = metadata;
    this.upstream = upstream;
    this.clock = clock;
    this.offline = offline;
    this.metrics = metrics;
  }

  public String name() {
    return index.name();
  }

  public ProxyLookup lookup(ProjectName name) {
    String project = name.value();
    if (!ProjectPattern.anyMatches(index.include(), project)
        || ProjectPattern.anyMatches(index.exclude(), project)) {
      return new ProxyLookup.Absent();
    }
    Optional<UpstreamPage> cached = metadata.getUpstreamPage(index.name(), project);
    if (offline) {
      return cached
          .map(this::fromStore)
          .orElseGet(
              () ->
                  new ProxyLookup.Unavailable(
                      "offline mode: " + project + " is not cached in " + index.name()));
    }
    if (cached.isPresent() && isFresh(cached.get())) {
      return fromStore(cached.get());
    }
    CompletableFuture<ProxyLookup> mine = new CompletableFuture<>();
    CompletableFuture<ProxyLookup> running = inFlight.putIfAbsent(project, mine);
    if (running != null) {
      return await(running);
    }
    try {
      ProxyLookup result = refresh(project, cached);
      mine.complete(result);
      return result;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(project, mine);
    }
  }

  private ProxyLookup refresh(String project, Optional<UpstreamPage> cached) {
    Map<String, String> conditional = new LinkedHashMap<>();
    cached
        .filter(page -> page.status() == 200)
        .ifPresent(
            page -> {
              page.etag().ifPresent(etag -> conditional.put("If-None-Match", etag));
              page.lastModified().ifPresent(lm -> conditional.put("If-Modified-Since", lm));
            });
    long started = System.nanoTime();
    UpstreamHttp.PageResponse response;
    try {
      response = upstream.page(project, conditional);
    } catch (IOException e) {
      metrics.upstreamError(index.name(), "page");
      return fallback(project, cached, "upstream unreachable: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallback(project, cached, "interrupted");
    } finally {
      metrics.upstreamLatency(index.name(), "page", System.nanoTime() - started);
    }
    Instant now = clock.instant();
    int status = response.status();
    if (status == 304 && cached.isPresent()) {
      UpstreamPage old = cached.get();
      UpstreamPage renewed =
          new UpstreamPage(
              old.index(),
              old.project(),
              old.status(),
              old.url(),
              old.contentType(),
              old.body(),
              response.etag().or(old::etag),
              response.lastModified().or(old::lastModified),
              now);
      metadata.putUpstreamPage(renewed);
      return fromStore(renewed);
    }
    if (status == 404 || status == 410 || status == 403) {
      // PyTorch's index answers 403 for projects it does not have.
      metadata.putUpstreamPage(
          new UpstreamPage(
              index.name(),
              project,
              404,
              response.url(),
              "",
              new byte[0],
              Optional.empty(),
              Optional.empty(),
              now));
      return new ProxyLookup.Absent();
    }
    if (status != 200) {
      metrics.upstreamError(index.name(), "page");
      return fallback(project, cached, "upstream answered HTTP " + status);
    }
    UpstreamPage page =
        new UpstreamPage(
            index.name(),
            project,
            200,
            response.url(),
            response.contentType(),
            response.body(),
            response.etag(),
            response.lastModified(),
            now);
    try {
      UpstreamProject parsedProject = parse(page);
      metadata.putUpstreamPage(page);
      return new ProxyLookup.Found(parsedProject, false, now.plus(index.ttl()));
    } catch (UpstreamFormatException e) {
      metrics.upstreamError(index.name(), "page");
      return fallback(project, cached, "upstream page unreadable: " + e.getMessage());
    }
  }

  private ProxyLookup fallback(String project, Optional<UpstreamPage> cached, String reason) {
    if (cached.isPresent() && cached.get().status() == 200) {
      LOG.warn("{}: serving stale page of {}: {}", index.name(), project, reason);
      metrics.stalePage(index.name());
      ProxyLookup fresh = fromStore(cached.get());
      return fresh instanceof ProxyLookup.Found found
          ? new ProxyLookup.Found(found.project(), true, clock.instant())
          : fresh;
    }
    if (cached.isPresent()) {
      return new ProxyLookup.Absent();
    }
    return new ProxyLookup.Unavailable(index.name() + ": " + reason);
  }

  private ProxyLookup fromStore(UpstreamPage page) {
    if (page.status() != 200) {
      return new ProxyLookup.Absent();
    }
    try {
      return new ProxyLookup.Found(parse(page), false, page.fetchedAt().plus(index.ttl()));
    } catch (UpstreamFormatException e) {
      return new ProxyLookup.Unavailable(index.name() + ": stored page unreadable");
    }
  }

  private UpstreamProject parse(UpstreamPage page) throws UpstreamFormatException {
    Parsed hit = parsed.getIfPresent(page.project());
    if (hit != null && hit.fetchedAt().equals(page.fetchedAt())) {
      return hit.project();
    }
    UpstreamProject project =
        UpstreamPageParser.parse(page.body(), page.contentType(), page.url(), page.project());
    parsed.put(page.project(), new Parsed(page.fetchedAt(), project, 256 + page.body().length));
    return project;
  }

  private boolean isFresh(UpstreamPage page) {
    Duration ttl = page.status() == 200 ? index.ttl() : min(index.ttl(), MAX_NEGATIVE_TTL);
    return page.fetchedAt().plus(ttl).isAfter(clock.instant());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ProxyLookup await(CompletableFuture<ProxyLookup> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProxyLookup.Unavailable("interrupted");
    } catch (ExecutionException e) {
      return new ProxyLookup.Unavailable("upstream lookup failed: " + describe(e.getCause()));
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
