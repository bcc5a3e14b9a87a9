package dev.wheelhouse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds small but valid wheels for tests: a package, {@code METADATA}, {@code WHEEL} and a {@code
 * RECORD} that lists every file with its sha256 and size. The same arguments always give the same
 * bytes (fixed entry times), so tests can rebuild a wheel to re-upload it.
 */
public final class TestWheels {
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);
  private static final Pattern DOT = Pattern.compile("\\.");

  private TestWheels() {}

  /** {@code tinypkg-0.1-py3-none-any.whl} in {@code dir}. */
  public static Path tinyWheel(Path dir) throws IOException {
    return wheel(dir, "tinypkg", "0.1", "py3", "none", "any", Map.of());
  }

  /**
   * Writes {@code {name}-{version}-{pythonTag}-{abiTag}-{platformTag}.whl} into {@code dir} and
   * returns its path. {@code extraFiles} (archive path to text) are added to the archive and
   * replace a generated file of the same path, which lets a test build a wheel with, say, a
   * METADATA that contradicts its filename.
   */
  public static Path wheel(
      Path dir,
      String name,
      String version,
      String pythonTag,
      String abiTag,
      String platformTag,
      Map<String, String> extraFiles)
      throws IOException {
    String distribution = name.replaceAll("[-_.]+", "_");
    String distInfo = distribution + "-" + version + ".dist-info";
    String packageDir = distribution.toLowerCase(Locale.ROOT);

    Map<String, String> files = new LinkedHashMap<>();
    files.put(packageDir + "/__init__.py", "__version__ = \"" + version + "\"\n");
    files.put(
        distInfo + "/METADATA",
        "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\n");
    files.put(distInfo + "/WHEEL", wheelFile(pythonTag, abiTag, platformTag));
    files.putAll(extraFiles);

    String recordPath = distInfo + "/RECORD";
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, String> file : files.entrySet()) {
      if (file.getKey().equals(recordPath)) {
        continue;
      }
      byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
      record
          .append(file.getKey())
          .append(",sha256=")
          .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)))
          .append(',')
          .append(bytes.length)
          .append('\n');
    }
    record.append(recordPath).append(",,\n");
    files.putIfAbsent(recordPath, record.toString());

    Files.createDirectories(dir);
    Path wheel =
        dir.resolve(
            distribution
                + "-"
                + version
                + "-"
                + pythonTag
                + "-"
                + abiTag
                + "-"
                + platformTag
                + ".whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }

  private static String wheelFile(String pythonTag, String abiTag, String platformTag) {
    List<String> lines = new ArrayList<>();
    lines.add("Wheel-Version: 1.0");
    lines.add("Generator: wheelhouse-tests");
    lines.add("Root-Is-Purelib: " + platformTag.equals("any"));
    // Compressed tag sets (py2.py3) expand to one Tag line per combination.
    for (String python : DOT.split(pythonTag, -1)) {
      for (String abi : DOT.split(abiTag, -1)) {
        for (String platform : DOT.split(platformTag, -1)) {
          lines.add("Tag: " + python + "-" + abi + "-" + platform);
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
