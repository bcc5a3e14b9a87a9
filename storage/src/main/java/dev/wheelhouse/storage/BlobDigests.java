package dev.wheelhouse.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/** The sha256 of a blob being written plus the caller's extra digests, fed the same bytes. */
final class BlobDigests {
  private final MessageDigest sha256 = Sha256.newDigest();
  private final MessageDigest[] extras;

  BlobDigests(MessageDigest... extras) {
    this.extras = extras.clone();
    for (MessageDigest extra : this.extras) {
      Objects.requireNonNull(extra, "extra digest");
    }
  }

  /** Digests the remaining bytes of {@code data} without moving its position. */
  void update(ByteBuffer data) {
    sha256.update(data.duplicate());
    for (MessageDigest extra : extras) {
      extra.update(data.duplicate());
    }
  }

  void update(byte[] data, int off, int len) {
    sha256.update(data, off, len);
    for (MessageDigest extra : extras) {
      extra.update(data, off, len);
    }
  }

  /** Finishes the sha256 and checks it against {@code expected}. */
  Sha256 finish(Optional<Sha256> expected) throws DigestMismatchException {
    Sha256 actual = Sha256.fromBytes(sha256.digest());
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new DigestMismatchException(expected.get(), actual);
    }
    return actual;
  }
}
