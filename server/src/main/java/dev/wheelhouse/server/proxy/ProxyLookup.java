package dev.wheelhouse.server.proxy;

import dev.wheelhouse.server.proxy.upstream.UpstreamProject;
import java.time.Instant;

/** What a proxy index knows of one project right now. */
public sealed interface ProxyLookup {
  /**
   * The upstream page; {@code stale} when upstream failed and the last good copy is used; {@code
   * freshUntil} when it must next be revalidated.
   */
  record Found(UpstreamProject project, boolean stale, Instant freshUntil) implements ProxyLookup {}

  /** Upstream says there is no such project (remembered for a short while). */
  record Absent() implements ProxyLookup {}

  /** Nothing to answer with: upstream failed and nothing is cached, or offline and uncached. */
  record Unavailable(String reason) implements ProxyLookup {}
}
