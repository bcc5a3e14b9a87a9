package dev.wheelhouse.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Rendered index pages in memory, bounded by total bytes (body plus key), invalidated per project
 * or per index when uploads, refreshes or prunes change what a page shows.
 */
public final class PageCache {
  private final Cache<PageKey, CachedPage> cache;

  /**
   * Bumped by every invalidation. A load that overlapped one may have rendered what was just
   * invalidated, and Caffeine's iteration cannot see (so cannot remove) an entry still loading: the
   * loader's own thread drops such a result instead.
   */
  private final AtomicLong invalidations = new AtomicLong();

  /**
   * @param maxBytes upper bound of the cached pages' weight; 0 disables caching
   */
  public PageCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("negative page cache size: " + maxBytes);
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((PageKey key, CachedPage page) -> weigh(key, page))
            // Evict on the writing thread: the bound holds when put returns, and eviction is
            // only map removals, cheap next to rendering a page.
            .executor(Runnable::run)
            .build();
  }

  public Optional<CachedPage> get(PageKey key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  /** The cached page, or the loader's, computed once per key however many threads ask. */
  public CachedPage get(PageKey key, Function<PageKey, CachedPage> loader) {
    Objects.requireNonNull(loader, "loader");
    long before = invalidations.get();
    AtomicBoolean loaded = new AtomicBoolean();
    CachedPage page =
        cache.get(
            key,
            k -> {
              loaded.set(true);
              return Objects.requireNonNull(loader.apply(k), "page loader returned null");
            });
    if (loaded.get() && invalidations.get() != before) {
      cache.asMap().remove(key, page); // may be stale; serve it this once, do not keep it
    }
    return page;
  }

  public void put(PageKey key, CachedPage page) {
    cache.put(key, page);
  }

  /** Drops every variant of the project's page and of the index's root listing. */
  public void invalidateProject(String index, String project) {
    invalidateWhere(
        key -> key.index().equals(index) && (key.isRoot() || key.project().equals(project)));
  }

  public void invalidateIndex(String index) {
    invalidateWhere(key -> key.index().equals(index));
  }

  public void invalidateAll() {
    invalidations.incrementAndGet();
    cache.invalidateAll();
  }

  /** Current total weight (about the bytes held). */
  public long weightedSize() {
    return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
  }

  /** Approximate number of cached pages. */
  public long entryCount() {
    return cache.estimatedSize();
  }

  private void invalidateWhere(Predicate<PageKey> matches) {
    invalidations.incrementAndGet(); // before the sweep: see the field's comment
    cache.asMap().keySet().removeIf(matches);
  }

  private static int weigh(PageKey key, CachedPage page) {
    return (int) Math.min(Integer.MAX_VALUE, key.weight() + page.weight());
  }
}
