package dev.wheelhouse.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds small but real wheels (valid zip, METADATA, WHEEL and RECORD) and sdists (tar.gz with
 * PKG-INFO) in tests. The same arguments always give the same bytes (fixed entry times).
 */
public final class TestWheels {
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);

  private TestWheels() {}

  /** A wheel whose package {@code module} defines {@code VALUE = "<distribution> <version>"}. */
  public static Path wheel(Path dir, String distribution, String version, String tags)
      throws IOException {
    return wheel(dir, distribution, version, tags, Map.of());
  }

  /**
   * A wheel with extra METADATA headers.
   *
   * @param tags e.g. "py3-none-any" or "cp311-cp311-manylinux_2_17_x86_64"
   * @param metadataHeaders extra METADATA headers such as Requires-Python
   */
  public static Path wheel(
      Path dir,
      String distribution,
      String version,
      String tags,
      Map<String, String> metadataHeaders)
      throws IOException {
    return wheel(dir, distribution, version, tags, metadataHeaders, Map.of());
  }

  /**
   * A wheel with extra METADATA headers and extra archive entries. {@code extraFiles} (archive path
   * to text) are added to the archive and replace a generated entry of the same path, which lets a
   * test build, say, a wheel whose METADATA contradicts its filename. RECORD lists every entry
   * unless {@code extraFiles} replaces RECORD itself.
   *
   * @param tags e.g. "py3-none-any" or "cp311-cp311-manylinux_2_17_x86_64"
   * @param metadataHeaders extra METADATA headers such as Requires-Python
   * @param extraFiles archive entries (path to UTF-8 text) added or replacing generated ones
   */
  public static Path wheel(
      Path dir,
      String distribution,
      String version,
      String tags,
      Map<String, String> metadataHeaders,
      Map<String, String> extraFiles)
      throws IOException {
    String module = distribution.toLowerCase(java.util.Locale.ROOT).replaceAll("[-.]", "_");
    String distInfo = module + "-" + version + ".dist-info";
    StringBuilder metadata =
        new StringBuilder("Metadata-Version: 2.1\nName: ")
            .append(distribution)
            .append("\nVersion: ")
            .append(version)
            .append("\nSummary: test distribution ")
            .append(distribution)
            .append('\n');
    metadataHeaders.forEach((k, v) -> metadata.append(k).append(": ").append(v).append('\n'));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        module + "/__init__.py",
        ("VALUE = \"" + distribution + " " + version + "\"\n").getBytes(StandardCharsets.UTF_8));
    files.put(distInfo + "/METADATA", metadata.toString().getBytes(StandardCharsets.UTF_8));
    files.put(
        distInfo + "/WHEEL",
        ("Wheel-Version: 1.0\nGenerator: wheelhouse-tests\nRoot-Is-Purelib: "
                + tags.endsWith("-any")
                + "\nTag: "
                + tags
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    extraFiles.forEach((name, text) -> files.put(name, text.getBytes(StandardCharsets.UTF_8)));
    String recordPath = distInfo + "/RECORD";
    StringBuilder record = new StringBuilder();
    files.forEach(
        (name, bytes) -> {
          if (!name.equals(recordPath)) {
            record
                .append(name)
                .append(",sha256=")
                .append(urlsafeSha256(bytes))
                .append(',')
                .append(bytes.length)
                .append('\n');
          }
        });
    record.append(recordPath).append(",,\n");
    files.putIfAbsent(recordPath, record.toString().getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir);
    Path wheel = dir.resolve(module + "-" + version + "-" + tags + ".whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        // Fixed times: a rebuilt wheel has the same bytes.
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return wheel;
  }

  /** The METADATA bytes inside a wheel built by {@link #wheel}. */
  public static byte[] metadataOf(Path wheel) throws IOException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(wheel.toFile())) {
      ZipEntry entry =
          zip.stream()
              .filter(e -> e.getName().endsWith(".dist-info/METADATA"))
              .findFirst()
              .orElseThrow();
      return zip.getInputStream(entry).readAllBytes();
    }
  }

  /**
   * A real sdist: {@code <name>-<version>.tar.gz} (name normalized as PEP 625 asks) holding {@code
   * pyproject.toml} and, last, {@code PKG-INFO} under a top directory {@code <name>-<version>/}.
   */
  public static Path sdist(Path dir, String distribution, String version) throws IOException {
    return sdist(dir, distribution, version, Map.of());
  }

  /**
   * A real sdist with extra entries. {@code extraFiles} (path inside the top directory to text) are
   * added and replace a generated entry of the same path, {@code PKG-INFO} included; {@code
   * PKG-INFO} is always the last entry.
   */
  public static Path sdist(
      Path dir, String distribution, String version, Map<String, String> extraFiles)
      throws IOException {
    String top =
        distribution.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "_") + "-" + version;
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "pyproject.toml",
        "[project]\nname = \"" + distribution + "\"\nversion = \"" + version + "\"\n");
    files.putAll(extraFiles);
    String pkgInfo = files.remove("PKG-INFO");
    files.put(
        "PKG-INFO",
        pkgInfo != null
            ? pkgInfo
            : "Metadata-Version: 2.1\nName: "
                + distribution
                + "\nVersion: "
                + version
                + "\nSummary: test distribution "
                + distribution
                + "\n");
    Files.createDirectories(dir);
    Path sdist = dir.resolve(top + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(sdist);
        GZIPOutputStream gz = new GZIPOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> e : files.entrySet()) {
        byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(top + "/" + e.getKey());
        entry.setSize(bytes.length);
        entry.setIds(0, 0);
        entry.setNames("", "");
        entry.setModTime(ENTRY_TIME.toInstant(ZoneOffset.UTC).toEpochMilli());
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return sdist;
  }

  private static String urlsafeSha256(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
