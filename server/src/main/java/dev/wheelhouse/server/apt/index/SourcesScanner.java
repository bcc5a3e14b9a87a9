package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.server.apt.index.Deb822Parser.Field;
import dev.wheelhouse.server.apt.index.Deb822Parser.Paragraph;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the pool files a source {@code Sources} index lists, one paragraph at a time: each file of
 * a source package is its {@code Directory} joined with a name from {@code Checksums-Sha256} or
 * {@code Files}.
 */
public final class SourcesScanner {
  private static final Set<String> FIELDS = Set.of("directory", "files", "checksums-sha256");

  private SourcesScanner() {}

  /**
   * Hands {@code each} every file of every source package in {@code uncompressed}, in index order:
   * first those of {@code Checksums-Sha256}, with their digests, then those only in {@code Files}
   * (MD5), without one. Paragraphs without files are skipped. The stream is not closed.
   *
   * @throws DebianFormatException if the text is not deb822, a checksum line is malformed, a
   *     paragraph with files has no {@code Directory}, a path leaves the repository, or {@code
   *     Files} and {@code Checksums-Sha256} disagree on a file's size
   */
  public static void scan(InputStream uncompressed, Consumer<PoolFile> each) throws IOException {
    Deb822Parser.parse(
        uncompressed,
        FIELDS::contains,
        paragraph -> {
          for (PoolFile file : poolFiles(paragraph).values()) {
            each.accept(file);
          }
        });
  }

  private static Map<String, PoolFile> poolFiles(Paragraph paragraph) throws DebianFormatException {
    Optional<Field> sha256 = paragraph.field("checksums-sha256");
    Optional<Field> md5 = paragraph.field("files");
    Optional<Field> directory = paragraph.field("directory");
    Map<String, PoolFile> files = new LinkedHashMap<>();
    if (sha256.isEmpty() && md5.isEmpty()) {
      return files;
    }
    if (directory.isEmpty()) {
      throw DebianFormatException.atLine(
          paragraph.line(), "source paragraph lists files but has no Directory");
    }
    String dir = directory.get().value();
    if (!RelativePath.isClean(dir)) {
      throw DebianFormatException.atLine(
          directory.get().line(),
          "Directory " + PackagingException.quote(dir) + " is not a path inside the repository");
    }
    // As apt joins them: a flat repository's "Directory: ." gives "./name".
    String prefix = dir + "/";
    if (sha256.isPresent()) {
      Field field = sha256.get();
      for (Field.Line line : field.lines()) {
        ChecksumLine checksum = checksumLine(field.name(), line, 64);
        if (files.containsKey(checksum.name())) {
          throw DebianFormatException.atLine(
              line.number(),
              field.name() + " lists " + PackagingException.quote(checksum.name()) + " twice");
        }
        files.put(
            checksum.name(),
            new PoolFile(prefix + checksum.name(), checksum.size(), Optional.of(checksum.hex())));
      }
    }
    if (md5.isPresent()) {
      Field field = md5.get();
      for (Field.Line line : field.lines()) {
        ChecksumLine checksum = checksumLine(field.name(), line, 32);
        PoolFile listed = files.get(checksum.name());
        if (listed == null) {
          files.put(
              checksum.name(),
              new PoolFile(prefix + checksum.name(), checksum.size(), Optional.empty()));
        } else if (listed.size() != checksum.size()) {
          throw DebianFormatException.atLine(
              line.number(),
              "Files gives "
                  + PackagingException.quote(checksum.name())
                  + " size "
                  + checksum.size()
                  + ", but Checksums-Sha256 gives size "
                  + listed.size());
        }
      }
    }
    return files;
  }

  private static ChecksumLine checksumLine(String field, Field.Line line, int hexLength)
      throws DebianFormatException {
    ChecksumLine checksum = ChecksumLine.parse(line.text(), field, hexLength, line.number());
    if (!RelativePath.isFileName(checksum.name())) {
      throw DebianFormatException.atLine(
          line.number(),
          field
              + " lists "
              + PackagingException.quote(checksum.name())
              + ", which is not a plain file name");
    }
    return checksum;
  }
}
