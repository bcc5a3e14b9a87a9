package dev.wheelhouse.server.proxy.fill;

import java.io.IOException;

/** Opens the upstream body of one file; blocking; runs on the fill executor. */
@FunctionalInterface
public interface UpstreamOpener {
  /**
   * Sends the request and returns the body of a successful response. Throw {@link
   * UpstreamException} for an error status; any other {@link IOException} is reported to clients as
   * an upstream failure too.
   */
  UpstreamBody open() throws IOException;
}
