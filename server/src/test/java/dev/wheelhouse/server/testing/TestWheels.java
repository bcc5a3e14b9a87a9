package dev.wheelhouse.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small but real wheels (and sdists) in tests: valid zip, METADATA, WHEEL and RECORD. */
public final class TestWheels {
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
    StringBuilder record = new StringBuilder();
    files.forEach(
        (name, bytes) ->
            record
                .append(name)
                .append(",sha256=")
                .append(urlsafeSha256(bytes))
                .append(',')
                .append(bytes.length)
                .append('\n'));
    record.append(distInfo).append("/RECORD,,\n");
    files.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    Path wheel = dir.resolve(module + "-" + version + "-" + tags + ".whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
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

  /** A gzip file holding arbitrary bytes: enough for the server's sdist checks. */
  public static Path sdist(Path dir, String distribution, String version) throws IOException {
    Path file = dir.resolve(distribution + "-" + version + ".tar.gz");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
      gz.write(("PKG-INFO for " + distribution).getBytes(StandardCharsets.UTF_8));
    }
    Files.write(file, raw.toByteArray());
    return file;
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
