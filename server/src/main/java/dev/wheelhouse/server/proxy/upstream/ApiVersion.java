package dev.wheelhouse.server.proxy.upstream;

import dev.wheelhouse.packaging.PackagingException;
import java.util.regex.Pattern;

/** The simple API version an upstream declares (PEP 629, PEP 691 {@code meta.api-version}). */
final class ApiVersion {
  private static final Pattern VERSION = Pattern.compile("1\\.[0-9]+|1");

  private ApiVersion() {}

  /**
   * Accepts 1.x, whatever minor: minor versions only add keys, which this parser ignores. Another
   * major version changes meaning, so reading it as 1.x would be guessing.
   */
  static void check(String version, String where) throws UpstreamFormatException {
    if (!VERSION.matcher(version.strip()).matches()) {
      throw new UpstreamFormatException(
          "unsupported simple API version "
              + PackagingException.quote(version)
              + " in "
              + where
              + ": only 1.x is supported");
    }
  }
}
