package dev.wheelhouse.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BlobStore} on a local filesystem: blobs at {@code <data>/blobs/sha256/<2 hex>/<64 hex>},
 * temp files in {@code <data>/tmp}. Blobs appear by atomic rename of a complete, verified, fsynced
 * temp file, so a reader or a crash never sees a partial blob.
 */
public final class FileBlobStore implements BlobStore {
  /** Longer than any writer takes between committing a blob and recording its entry. */
  static final Duration RECOMMIT_WINDOW = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(FileBlobStore.class);

  /** I/O chunk: large enough for throughput, small enough that memory stays flat. */
  static final int CHUNK_SIZE = 64 * 1024;

  private final Path blobRoot;
  private final Path tempDir;
  private final Object[] stripes = newStripes(64);
  // Digests committed again (the file already existed) within RECOMMIT_WINDOW, by System.nanoTime.
  // Kept in memory: after a restart no writer is between committing and recording.
  private final Map<Sha256, Long> recommits =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Sha256, Long> eldest) {
              return System.nanoTime() - eldest.getValue() > RECOMMIT_WINDOW.toNanos();
            }
          });

  private FileBlobStore(Path blobRoot, Path tempDir) {
    this.blobRoot = blobRoot;
    this.tempDir = tempDir;
  }

  /** Opens (creating directories as needed) the store under {@code dataDir} and sweeps tmp. */
  public static FileBlobStore open(Path dataDir) throws IOException {
    Path data = dataDir.toAbsolutePath().normalize();
    FileBlobStore store =
        new FileBlobStore(data.resolve("blobs").resolve("sha256"), data.resolve("tmp"));
    Files.createDirectories(store.blobRoot);
    Files.createDirectories(store.tempDir);
    int swept = store.sweepTemp();
    if (swept > 0) {
      log.info("Deleted {} temp file(s) left by interrupted writes in {}", swept, store.tempDir);
    }
    return store;
  }

  @Override
  public Path tempDir() {
    return tempDir;
  }

  /** Where the blob {@code sha256} lives (or would live) on disk. */
  public Path pathOf(Sha256 sha256) {
    String hex = sha256.hex();
    return blobRoot.resolve(hex.substring(0, 2)).resolve(hex);
  }

  @Override
  public BlobWriter newWriter(MessageDigest... alsoUpdate) throws IOException {
    BlobDigests digests = new BlobDigests(alsoUpdate);
    Path temp = tempDir.resolve("blob-" + UUID.randomUUID() + ".tmp");
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new FileBlobWriter(this, temp, channel, digests);
  }

  @Override
  public StoredBlob put(InputStream in, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException {
    Objects.requireNonNull(expected, "expected");
    try (BlobWriter writer = newWriter(alsoUpdate)) {
      byte[] buffer = new byte[CHUNK_SIZE];
      int n;
      while ((n = in.read(buffer)) != -1) {
        writer.write(buffer, 0, n);
      }
      return writer.commit(expected);
    }
  }

  @Override
  public StoredBlob adopt(Path tempFile, Optional<Sha256> expected, MessageDigest... alsoUpdate)
      throws IOException {
    Objects.requireNonNull(expected, "expected");
    Path file = checkAdoptable(tempFile);
    try {
      BlobDigests digests = new BlobDigests(alsoUpdate);
      long size = 0;
      Sha256 actual;
      // READ+WRITE rather than READ: some platforms refuse to fsync a read-only handle.
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_SIZE);
        while (channel.read(buffer) != -1) {
          buffer.flip();
          size += buffer.remaining();
          digests.update(buffer);
          buffer.clear();
        }
        actual = digests.finish(expected);
        channel.force(true);
      }
      return install(file, actual, size);
    } finally {
      deleteQuietly(file); // already moved away on success
    }
  }

  @Override
  public Optional<StoredBlob> get(Sha256 sha256) throws IOException {
    Path path = pathOf(sha256);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return attributes.isRegularFile()
          ? Optional.of(new StoredBlob(sha256, attributes.size(), path))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean contains(Sha256 sha256) {
    return Files.isRegularFile(pathOf(sha256));
  }

  @Override
  public boolean delete(Sha256 sha256) throws IOException {
    synchronized (stripe(sha256)) {
      return Files.deleteIfExists(pathOf(sha256));
    }
  }

  @Override
  public boolean deleteUnlessRecommitted(Sha256 sha256) throws IOException {
    synchronized (stripe(sha256)) {
      Long at = recommits.get(sha256);
      if (at != null) {
        if (System.nanoTime() - at < RECOMMIT_WINDOW.toNanos()) {
          return false;
        }
        recommits.remove(sha256, at);
      }
      return Files.deleteIfExists(pathOf(sha256));
    }
  }

  // Commits and deletes of one digest are serialized; different digests rarely share a stripe.
  private Object stripe(Sha256 sha256) {
    return stripes[sha256.bytes()[0] & (stripes.length - 1)];
  }

  private static Object[] newStripes(int count) {
    Object[] locks = new Object[count];
    for (int i = 0; i < count; i++) {
      locks[i] = new Object();
    }
    return locks;
  }

  @Override
  @SuppressWarnings("StreamResourceLeak") // the caller closes the stream, which closes the listing
  public Stream<Sha256> list() throws IOException {
    return Files.list(blobRoot)
        .filter(shard -> isShardName(shard.getFileName().toString()))
        .flatMap(FileBlobStore::listShard);
  }

  @Override
  public int sweepTemp() throws IOException {
    TempSweeper sweeper = new TempSweeper(tempDir);
    Files.walkFileTree(tempDir, sweeper);
    return sweeper.deleted;
  }

  /** Nothing to release: every writer owns its own channel. */
  @Override
  public void close() {}

  /**
   * Moves a complete, verified, fsynced temp file to its content address. Blobs are immutable, so
   * when the blob already exists the temp file is simply dropped (by the caller's cleanup).
   */
  StoredBlob install(Path temp, Sha256 sha256, long size) throws IOException {
    synchronized (stripe(sha256)) {
      return installLocked(temp, sha256, size);
    }
  }

  private StoredBlob installLocked(Path temp, Sha256 sha256, long size) throws IOException {
    Path target = pathOf(sha256);
    if (Files.isRegularFile(target)) {
      // The writer will record an entry for these bytes: until then, deleteUnlessRecommitted must
      // leave them, even if the entry that held them so far is being pruned right now.
      recommits.put(sha256, System.nanoTime());
      return new StoredBlob(sha256, size, target);
    }
    Path shard = target.getParent();
    if (!Files.isDirectory(shard)) {
      Files.createDirectories(shard);
      fsyncDirectory(blobRoot); // make the new shard directory itself durable
    }
    // A concurrent install of the same content may win the race: rename replaces it with
    // identical, verified bytes, and readers holding the old file keep reading intact bytes.
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(shard);
    return new StoredBlob(sha256, size, target);
  }

  void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Cannot delete temp file {} (the next sweep will): {}", file, e.toString());
    }
  }

  private Path checkAdoptable(Path tempFile) throws IOException {
    Path file = tempFile.toAbsolutePath().normalize();
    if (!file.startsWith(tempDir) || file.equals(tempDir)) {
      throw new IllegalArgumentException(
          "can only adopt files under " + tempDir + ", not " + tempFile);
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(file.toString());
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("not a regular file: " + tempFile);
    }
    return file;
  }

  /**
   * Makes a rename in {@code dir} durable; some platforms cannot open directories, so best effort.
   */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("Cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  @SuppressWarnings("StreamResourceLeak") // flatMap closes each shard's listing once consumed
  private static Stream<Sha256> listShard(Path shard) {
    String prefix = shard.getFileName().toString();
    try {
      return Files.list(shard)
          .map(path -> path.getFileName().toString())
          .filter(name -> name.startsWith(prefix) && isBlobName(name))
          .map(Sha256::of);
    } catch (NoSuchFileException e) {
      return Stream.empty(); // shard removed while listing
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isShardName(String name) {
    return isLowerHex(name, 2);
  }

  // Lowercase only: a file named in uppercase was not written by this store.
  private static boolean isBlobName(String name) {
    return isLowerHex(name, 2 * Sha256.BYTES);
  }

  private static boolean isLowerHex(String name, int length) {
    return name.length() == length
        && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  /** Deletes everything below the temp directory, keeping the directory itself. */
  private static final class TempSweeper extends SimpleFileVisitor<Path> {
    private final Path root;
    int deleted;

    TempSweeper(Path root) {
      this.root = root;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      if (Files.deleteIfExists(file)) {
        deleted++;
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE; // gone already
      }
      throw e;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
      if (e != null) {
        throw e;
      }
      if (!dir.equals(root)) {
        Files.deleteIfExists(dir);
      }
      return FileVisitResult.CONTINUE;
    }
  }
}
