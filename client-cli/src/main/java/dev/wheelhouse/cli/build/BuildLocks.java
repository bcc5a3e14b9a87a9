package dev.wheelhouse.cli.build;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One build per (source, platform, Python) at a time on this machine: a lock file per key, held
 * with an OS file lock (across processes, e.g. two CI jobs) and a lock per key within this JVM
 * (file locks are per process).
 */
final class BuildLocks {
  private static final ConcurrentMap<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path directory;

  BuildLocks(Path directory) {
    this.directory = directory;
  }

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Waits for the lock of {@code key}; {@code waiting} hears once when another build holds it. */
  Held acquire(String key, Consumer<String> waiting) throws IOException {
    String name = digest(key);
    ReentrantLock local = IN_PROCESS.computeIfAbsent(name, k -> new ReentrantLock());
    if (!local.tryLock()) {
      waiting.accept(key);
      local.lock();
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              directory.resolve(name + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        waiting.accept(key);
        lock = channel.lock();
      }
      FileChannel open = channel;
      FileLock held = lock;
      return () -> {
        try {
          held.release();
          open.close();
        } finally {
          local.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  private static String digest(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
