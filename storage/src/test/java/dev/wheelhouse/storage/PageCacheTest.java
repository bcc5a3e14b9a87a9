package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PageCacheTest {
  private final PageCache cache = new PageCache(1_000_000);

  @Test
  void loaderRunsOncePerKeyUnderConcurrency() throws Exception {
    PageKey key = new PageKey("pypi", "torch", "json");
    AtomicInteger loads = new AtomicInteger();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<CachedPage>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return cache.get(
                      key,
                      k -> {
                        loads.incrementAndGet();
                        sleep(100);
                        return page("torch page");
                      });
                }));
      }
      start.countDown();
      for (Future<CachedPage> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(page("torch page"));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(loads).hasValue(1);
    assertThat(cache.get(key)).contains(page("torch page"));
  }

  @Test
  void invalidateProjectDropsItsVariantsAndTheRootListing() {
    for (String variant : List.of("html", "json")) {
      cache.put(new PageKey("local", "foo", variant), page("foo " + variant));
      cache.put(new PageKey("local", "bar", variant), page("bar " + variant));
      cache.put(PageKey.root("local", variant), page("root " + variant));
      cache.put(new PageKey("other", "foo", variant), page("other foo " + variant));
      cache.put(PageKey.root("other", variant), page("other root " + variant));
    }

    cache.invalidateProject("local", "foo");

    for (String variant : List.of("html", "json")) {
      assertThat(cache.get(new PageKey("local", "foo", variant))).isEmpty();
      assertThat(cache.get(PageKey.root("local", variant))).isEmpty();
      assertThat(cache.get(new PageKey("local", "bar", variant))).isPresent();
      assertThat(cache.get(new PageKey("other", "foo", variant))).isPresent();
      assertThat(cache.get(PageKey.root("other", variant))).isPresent();
    }
  }

  @Test
  void invalidateIndexAndAll() {
    cache.put(new PageKey("a", "foo", "html"), page("1"));
    cache.put(PageKey.root("a", "html"), page("2"));
    cache.put(new PageKey("ab", "foo", "html"), page("3"));

    cache.invalidateIndex("a");

    assertThat(cache.get(new PageKey("a", "foo", "html"))).isEmpty();
    assertThat(cache.get(PageKey.root("a", "html"))).isEmpty();
    assertThat(cache.get(new PageKey("ab", "foo", "html"))).isPresent();

    cache.invalidateAll();
    assertThat(cache.entryCount()).isZero();
    assertThat(cache.weightedSize()).isZero();
  }

  @Test
  void aPageLoadedAcrossAnInvalidationIsServedButNotKept() throws Exception {
    PageKey key = new PageKey("local", "foo", "html");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<CachedPage> stale =
          pool.submit(
              () ->
                  cache.get(
                      key,
                      k -> {
                        loading.countDown();
                        await(invalidated);
                        return page("rendered before the upload");
                      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      cache.invalidateProject("local", "foo"); // an upload landed while the page rendered
      invalidated.countDown();

      assertThat(stale.get(10, TimeUnit.SECONDS)).isEqualTo(page("rendered before the upload"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.get(key)).isEmpty();
  }

  @Test
  void theWeightBoundEvicts() {
    PageCache small = new PageCache(10_000);
    for (int i = 0; i < 50; i++) {
      small.put(
          new PageKey("pypi", "p" + i, "html"),
          new CachedPage(new byte[1000], "text/html", "e" + i));
    }

    assertThat(small.weightedSize()).isPositive().isLessThanOrEqualTo(10_000);
    assertThat(small.entryCount()).isLessThan(50);
  }

  @Test
  void weightCountsBodyAndKey() {
    PageKey key = new PageKey("pypi", "numpy", "html");
    cache.put(key, new CachedPage(new byte[5000], "text/html", "etag"));

    assertThat(cache.weightedSize()).isBetween(5000L + 10, 5000L + 500);
  }

  @Test
  void aNullPageFromTheLoaderIsAnError() {
    assertThatThrownBy(() -> cache.get(new PageKey("a", "b", "c"), k -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("loader returned null");
  }

  @Test
  void pagesCompareByContent() {
    assertThat(page("x")).isEqualTo(page("x")).hasSameHashCodeAs(page("x"));
    assertThat(page("x")).isNotEqualTo(page("y"));
    assertThat(page("x").toString()).contains("1 bytes");
  }

  private static CachedPage page(String body) {
    return new CachedPage(
        body.getBytes(StandardCharsets.UTF_8), "text/html", "\"" + body.hashCode() + "\"");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
