package dev.wheelhouse.server.apt;

import dev.wheelhouse.server.apt.index.Compression;
import dev.wheelhouse.server.apt.index.IndexFileKind;
import dev.wheelhouse.server.apt.index.PackagesScanner;
import dev.wheelhouse.server.apt.index.PoolFile;
import dev.wheelhouse.server.apt.index.SourcesScanner;
import dev.wheelhouse.storage.AptExpectedFile;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns from a Packages or Sources index passing through the cache what each pool file must be
 * (SHA256 and Size), so that a download that differs is never served. Streams the index: Debian's
 * main Packages lists ~60k files.
 */
final class PoolExpectations {
  private static final Logger LOG = LoggerFactory.getLogger(PoolExpectations.class);
  private static final int BATCH = 4096;

  private final MetadataStore meta;

  PoolExpectations(MetadataStore meta) {
    this.meta = meta;
  }

  /**
   * Reads {@code index} (stored at {@code blob}) if it is a Packages or Sources index; files are
   * named relative to {@code archiveRoot}. Failures are logged: the index is still served.
   */
  void learn(AptMirror mirror, String archiveRoot, String indexPath, Path blob) {
    IndexFileKind kind = IndexFileKind.of(indexPath);
    if (kind != IndexFileKind.PACKAGES && kind != IndexFileKind.SOURCES) {
      return;
    }
    List<AptExpectedFile> batch = new ArrayList<>(BATCH);
    long[] count = {0};
    Consumer<PoolFile> collect =
        file -> {
          if (file.sha256().isEmpty() || !Sha256.isValid(file.sha256().get())) {
            return;
          }
          String path = file.path().startsWith("./") ? file.path().substring(2) : file.path();
          batch.add(
              new AptExpectedFile(
                  mirror.name(), archiveRoot + path, Sha256.of(file.sha256().get()), file.size()));
          count[0]++;
          if (batch.size() == BATCH) {
            meta.putAptExpected(batch);
            batch.clear();
          }
        };
    try (InputStream in = Compression.ofPath(indexPath).decompress(Files.newInputStream(blob))) {
      if (kind == IndexFileKind.PACKAGES) {
        PackagesScanner.scan(in, collect);
      } else {
        SourcesScanner.scan(in, collect);
      }
      meta.putAptExpected(batch);
      LOG.debug("{}: {} lists {} files", mirror.name(), indexPath, count[0]);
    } catch (IOException | RuntimeException e) {
      meta.putAptExpected(batch);
      LOG.warn(
          "{}: cannot read {} for pool digests ({} learnt): {}",
          mirror.name(),
          indexPath,
          count[0],
          e.toString());
    }
  }
}
