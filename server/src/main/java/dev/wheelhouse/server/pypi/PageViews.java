package dev.wheelhouse.server.pypi;

/** Told of each project page a client got, on the event loop, once the response is sent. */
@FunctionalInterface
public interface PageViews {
  /** Tells nobody. */
  PageViews NONE = (index, project, userAgent) -> {};

  /**
   * A client got the page of {@code project} in {@code index}.
   *
   * @param index the index whose page it was (a group, a hosted or a proxy index)
   * @param project normalized name
   * @param userAgent the client's User-Agent header; null when it sent none
   */
  void projectPageServed(String index, String project, String userAgent);
}
