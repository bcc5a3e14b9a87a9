package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.server.apt.index.Deb822Parser.Field;
import dev.wheelhouse.server.apt.index.Deb822Parser.Paragraph;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the pool files a binary {@code Packages} index lists, one paragraph at a time: an index of
 * tens of megabytes is never held whole.
 */
public final class PackagesScanner {
  private static final Set<String> FIELDS = Set.of("filename", "size", "sha256");

  private PackagesScanner() {}

  /**
   * Hands {@code each} the {@code Filename}, {@code Size} and {@code SHA256} of every paragraph of
   * {@code uncompressed} that has a {@code Filename}, in index order. The stream is not closed.
   *
   * @throws DebianFormatException if the text is not deb822, or a paragraph with a {@code Filename}
   *     has no valid {@code Size}, an invalid {@code SHA256}, or a {@code Filename} outside the
   *     repository
   */
  public static void scan(InputStream uncompressed, Consumer<PoolFile> each) throws IOException {
    Deb822Parser.parse(
        uncompressed, FIELDS::contains, paragraph -> poolFile(paragraph).ifPresent(each));
  }

  private static Optional<PoolFile> poolFile(Paragraph paragraph) throws DebianFormatException {
    Optional<Field> filename = paragraph.field("filename");
    if (filename.isEmpty()) {
      return Optional.empty();
    }
    String path = filename.get().value();
    if (!RelativePath.isClean(path)) {
      throw DebianFormatException.atLine(
          filename.get().line(),
          "Filename " + PackagingException.quote(path) + " is not a path inside the repository");
    }
    Optional<Field> sizeField = paragraph.field("size");
    if (sizeField.isEmpty()) {
      throw DebianFormatException.atLine(
          filename.get().line(),
          "Filename "
              + PackagingException.quote(path)
              + " has no Size in its paragraph, which starts at line "
              + paragraph.line());
    }
    OptionalLong size = ChecksumLine.parseSize(sizeField.get().value());
    if (size.isEmpty()) {
      throw DebianFormatException.atLine(
          sizeField.get().line(),
          "Size of "
              + PackagingException.quote(path)
              + " is not a number of bytes: "
              + PackagingException.quote(sizeField.get().value()));
    }
    Optional<String> sha256 = Optional.empty();
    Optional<Field> shaField = paragraph.field("sha256");
    if (shaField.isPresent()) {
      String hex = shaField.get().value();
      if (!ChecksumLine.isHex(hex, 64)) {
        throw DebianFormatException.atLine(
            shaField.get().line(),
            "SHA256 of "
                + PackagingException.quote(path)
                + " is not 64 hex digits: "
                + PackagingException.quote(hex));
      }
      sha256 = Optional.of(hex.toLowerCase(Locale.ROOT));
    }
    return Optional.of(new PoolFile(path, size.getAsLong(), sha256));
  }
}
