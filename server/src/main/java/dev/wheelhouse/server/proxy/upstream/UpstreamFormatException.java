package dev.wheelhouse.server.proxy.upstream;

/**
 * An upstream page that cannot be read as a whole (wrong format, unsupported API version). The
 * message is one line; untrusted text in it is quoted and shortened by {@link
 * dev.wheelhouse.packaging.PackagingException#quote}.
 */
public final class UpstreamFormatException extends Exception {

  public UpstreamFormatException(String message) {
    super(message);
  }

  public UpstreamFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
