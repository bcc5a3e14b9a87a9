package dev.wheelhouse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds small sdists ({@code name-version.tar.gz} in ustar format) for tests. */
public final class TestSdists {
  private static final int BLOCK = 512;

  private TestSdists() {}

  /**
   * Writes {@code {name}-{version}.tar.gz} with {@code PKG-INFO}, {@code pyproject.toml} and {@code
   * extraFiles} (path inside the top directory to text) into {@code dir}.
   */
  public static Path sdist(Path dir, String name, String version, Map<String, String> extraFiles)
      throws IOException {
    String top = name.replaceAll("[-_.]+", "_") + "-" + version;
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "pyproject.toml", "[project]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n");
    files.putAll(extraFiles);
    files.putIfAbsent(
        "PKG-INFO", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\n");

    Files.createDirectories(dir);
    Path sdist = dir.resolve(top + ".tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(sdist))) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        out.write(header(top + "/" + file.getKey(), content.length));
        out.write(content);
        out.write(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
      }
      out.write(new byte[2 * BLOCK]);
    }
    return sdist;
  }

  private static byte[] header(String path, long size) {
    byte[] header = new byte[BLOCK];
    put(header, 0, path);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format(Locale.ROOT, "%011o", size));
    put(header, 136, String.format(Locale.ROOT, "%011o", 1_704_067_200L));
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    // The checksum is computed with its own field taken as eight spaces.
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format(Locale.ROOT, "%06o", sum));
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
