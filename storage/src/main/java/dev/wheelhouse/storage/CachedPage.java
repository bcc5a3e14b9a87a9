package dev.wheelhouse.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rendered page, ready to send. The body array is shared, not copied: pages are large and served
 * often, so nobody may modify it after construction.
 */
@SuppressWarnings("ArrayRecordComponent") // deliberate: see above; equals compares contents
public record CachedPage(byte[] body, String contentType, String etag) {
  public CachedPage {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(etag, "etag");
  }

  /** Approximate heap footprint, for cache weighing. */
  long weight() {
    return body.length + 2L * (contentType.length() + etag.length()) + 64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedPage other
        && Arrays.equals(body, other.body)
        && contentType.equals(other.contentType)
        && etag.equals(other.etag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(body), contentType, etag);
  }

  @Override
  public String toString() {
    return "CachedPage[" + body.length + " bytes, " + contentType + ", etag=" + etag + "]";
  }
}
