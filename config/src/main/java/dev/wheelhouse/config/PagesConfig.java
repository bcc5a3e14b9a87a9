package dev.wheelhouse.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How index pages are served.
 *
 * @param maxAge {@code Cache-Control: max-age} of index pages; default 10s
 * @param cacheSize memory for rendered pages; default 64MiB
 */
public record PagesConfig(Duration maxAge, DataSize cacheSize) {
  public static final PagesConfig DEFAULT =
      new PagesConfig(Duration.ofSeconds(10), DataSize.ofBytes(64L << 20));

  public PagesConfig {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(cacheSize, "cacheSize");
  }
}
