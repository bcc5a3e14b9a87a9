package dev.wheelhouse.cli.upload;

import dev.wheelhouse.packaging.CoreMetadata;
import dev.wheelhouse.packaging.PackagingException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the core metadata that the upload form repeats (metadata_version, name, requires_python):
 * {@code *.dist-info/METADATA} in a wheel, {@code NAME-VERSION/PKG-INFO} in an sdist. Reading it
 * also catches a corrupt archive before its bytes are sent.
 */
final class ArchiveMetadata {
  private static final Pattern WHEEL_METADATA = Pattern.compile("[^/]+\\.dist-info/METADATA");
  private static final Pattern SDIST_PKG_INFO = Pattern.compile("[^/]+/PKG-INFO");
  private static final int MAX_METADATA_BYTES = 4 << 20;

  private ArchiveMetadata() {}

  static CoreMetadata read(Path file, boolean wheel) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    byte[] metadata;
    if (wheel) {
      metadata = fromZip(file, WHEEL_METADATA, "*.dist-info/METADATA");
    } else if (name.endsWith(".zip")) {
      metadata = fromZip(file, SDIST_PKG_INFO, "PKG-INFO");
    } else {
      metadata = fromTarGz(file);
    }
    try {
      return CoreMetadata.parse(metadata);
    } catch (PackagingException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static byte[] fromZip(Path file, Pattern entryName, String described) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entryName.matcher(entry.getName()).matches()) {
          try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes(MAX_METADATA_BYTES);
          }
        }
      }
    } catch (ZipException e) {
      throw new IOException("not a valid zip archive (" + e.getMessage() + ")", e);
    }
    throw new IOException("no " + described + " in the archive");
  }

  private static byte[] fromTarGz(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile() && SDIST_PKG_INFO.matcher(entry.getName()).matches()) {
          return tar.readNBytes(MAX_METADATA_BYTES);
        }
      }
    } catch (ZipException | EOFException e) {
      throw new IOException("not a valid .tar.gz archive (" + e.getMessage() + ")", e);
    }
    throw new IOException("no PKG-INFO in the archive");
  }
}
