package dev.wheelhouse.server.pypi;

import dev.wheelhouse.storage.CachedPage;
import java.util.List;

/** A page ready to send, and the proxy members it shows stale (upstream failing). */
public record RenderedPage(CachedPage page, List<String> stale) {
  public RenderedPage {
    stale = List.copyOf(stale);
  }

  static RenderedPage fresh(CachedPage page) {
    return new RenderedPage(page, List.of());
  }
}
