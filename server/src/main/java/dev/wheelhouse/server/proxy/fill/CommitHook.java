package dev.wheelhouse.server.proxy.fill;

import dev.wheelhouse.storage.StoredBlob;
import java.io.IOException;

/**
 * Runs on the fill's thread right after the blob is committed, before the fill leaves the
 * coordinator and before any client sees it complete: whatever it records (the file's metadata) is
 * in place for every request that comes after, so none of them starts a second download.
 */
@FunctionalInterface
public interface CommitHook {
  CommitHook NONE = blob -> {};

  void committed(StoredBlob blob) throws IOException;
}
