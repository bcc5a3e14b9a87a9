package dev.wheelhouse.server.archive;

import dev.wheelhouse.packaging.CoreMetadata;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.server.http.HttpProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks that an uploaded archive is what its name says, reading only what it must: a wheel's zip
 * directory and its {@code METADATA}; an sdist's compression stream. Nothing is extracted.
 */
public final class ArchiveInspector {
  private static final Pattern DIST_INFO_METADATA = Pattern.compile("([^/]+)\\.dist-info/METADATA");
  private static final int MAX_METADATA_BYTES = 16 << 20;

  /** What a valid wheel yields: its METADATA bytes, untouched (PEP 658), and their parse. */
  @SuppressWarnings("ArrayRecordComponent") // short-lived value passed straight to the blob store
  public record WheelContents(byte[] metadataBytes, CoreMetadata metadata) {}

  private ArchiveInspector() {}

  public static WheelContents wheel(Path file, WheelFilename name) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<ZipEntry> metadataEntries = new ArrayList<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        checkEntryName(entry.getName());
        if (DIST_INFO_METADATA.matcher(entry.getName()).matches()) {
          metadataEntries.add(entry);
        }
      }
      if (metadataEntries.isEmpty()) {
        throw HttpProblem.badRequest("wheel has no *.dist-info/METADATA");
      }
      if (metadataEntries.size() > 1) {
        throw HttpProblem.badRequest("wheel has more than one *.dist-info/METADATA");
      }
      ZipEntry entry = metadataEntries.get(0);
      checkDistInfoName(entry.getName(), name);
      byte[] bytes = readBounded(zip, entry);
      CoreMetadata metadata = CoreMetadata.parse(bytes);
      if (!ProjectName.normalize(metadata.name()).equals(name.project().value())) {
        throw HttpProblem.badRequest(
            "METADATA Name '"
                + metadata.name()
                + "' does not match the file name "
                + name.filename());
      }
      if (!Version.isValid(metadata.version())
          || !Version.parse(metadata.version()).equals(name.version())) {
        throw HttpProblem.badRequest(
            "METADATA Version '"
                + metadata.version()
                + "' does not match the file name "
                + name.filename());
      }
      return new WheelContents(bytes, metadata);
    } catch (ZipException e) {
      throw HttpProblem.badRequest("not a valid zip archive: " + name.filename());
    }
  }

  public static void sdist(Path file, SdistFilename name) throws IOException {
    if (name.extension().equals(".zip")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        zip.stream().forEach(e -> checkEntryName(e.getName()));
      } catch (ZipException e) {
        throw HttpProblem.badRequest("not a valid zip archive: " + name.filename());
      }
      return;
    }
    // Reading the gzip stream to its end checks its CRC and length trailer.
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      while (in.read(buffer) >= 0) {
        // drain
      }
    } catch (ZipException | java.io.EOFException e) {
      throw HttpProblem.badRequest("not a valid gzip archive: " + name.filename());
    }
  }

  private static void checkDistInfoName(String entryName, WheelFilename name) {
    Matcher m = DIST_INFO_METADATA.matcher(entryName);
    if (!m.matches()) {
      return;
    }
    String dir = m.group(1);
    int dash = dir.lastIndexOf('-');
    boolean fits =
        dash > 0
            && ProjectName.normalize(dir.substring(0, dash)).equals(name.project().value())
            && Version.isValid(dir.substring(dash + 1))
            && Version.parse(dir.substring(dash + 1)).equals(name.version());
    if (!fits) {
      throw HttpProblem.badRequest(
          "wheel's " + dir + ".dist-info does not match the file name " + name.filename());
    }
  }

  /** Entries that would escape an install directory are refused, whoever would extract them. */
  private static void checkEntryName(String entryName) {
    if (entryName.startsWith("/")
        || entryName.contains("\\")
        || entryName.indexOf('\0') >= 0
        || entryName.equals("..")
        || entryName.startsWith("../")
        || entryName.contains("/../")
        || entryName.endsWith("/..")) {
      throw HttpProblem.badRequest("archive entry with an unsafe path: " + entryName);
    }
  }

  private static byte[] readBounded(ZipFile zip, ZipEntry entry) throws IOException {
    if (entry.getSize() > MAX_METADATA_BYTES) {
      throw HttpProblem.badRequest("METADATA larger than " + MAX_METADATA_BYTES + " bytes");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
      if (bytes.length > MAX_METADATA_BYTES) {
        throw HttpProblem.badRequest("METADATA larger than " + MAX_METADATA_BYTES + " bytes");
      }
      return bytes;
    }
  }
}
