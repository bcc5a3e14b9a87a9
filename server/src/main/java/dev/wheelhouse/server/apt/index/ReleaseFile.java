package dev.wheelhouse.server.apt.index;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.server.apt.index.Deb822Parser.Field;
import dev.wheelhouse.server.apt.index.Deb822Parser.Paragraph;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A suite's {@code Release} file, or its clear-signed {@code InRelease} form: the suite's fields
 * and the index files it lists with their sizes and digests. The OpenPGP signature of an InRelease
 * file is removed, not verified.
 */
public final class ReleaseFile {

  /**
   * A file a Release file lists: an index such as {@code main/binary-amd64/Packages.xz}, with its
   * size and digests.
   *
   * @param path the path relative to the Release file's directory
   * @param size the size in bytes
   * @param hashes lower-case hex digests by algorithm: {@code MD5Sum}, {@code SHA1}, {@code
   *     SHA256}, {@code SHA512} (the Release field names, which are also the by-hash directory
   *     names), for those the Release lists the file under
   */
  public record ReleaseEntry(String path, long size, Map<String, String> hashes) {

    public ReleaseEntry {
      Objects.requireNonNull(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("negative size " + size + " for " + path);
      }
      hashes = Map.copyOf(hashes);
    }

    /** The SHA-256 digest, in lower-case hex, if the Release lists one. */
    public Optional<String> sha256() {
      return Optional.ofNullable(hashes.get(ChecksumField.SHA256.fieldName()));
    }
  }

  private final Map<String, String> fields;
  private final Map<String, ReleaseEntry> entries;
  private final List<ReleaseEntry> entryList;
  private final Map<ChecksumField, Map<String, ReleaseEntry>> byHash;

  private ReleaseFile(
      Map<String, String> fields,
      Map<String, ReleaseEntry> entries,
      Map<ChecksumField, Map<String, ReleaseEntry>> byHash) {
    this.fields = fields;
    this.entries = entries;
    this.entryList = List.copyOf(entries.values());
    this.byHash = byHash;
  }

  /**
   * Parses a Release or InRelease file.
   *
   * @throws DebianFormatException if it is not one paragraph of deb822 fields, if the clear-signed
   *     armor is malformed, if a checksum line is malformed or names a path outside the Release's
   *     directory, or if two checksum fields disagree on a file's size
   */
  public static ReleaseFile parse(byte[] content) throws DebianFormatException {
    List<String> lines =
        Arrays.asList(new String(content, StandardCharsets.UTF_8).split("\r?\n", -1));
    // The line terminator of the last line does not start another line.
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    ClearSignedText text = ClearSignedText.of(lines);
    List<Paragraph> paragraphs = new ArrayList<>(1);
    Deb822Parser parser =
        new Deb822Parser(
            name -> true,
            paragraph -> {
              if (!paragraphs.isEmpty()) {
                throw DebianFormatException.atLine(
                    paragraph.line(), "a Release file is one paragraph, but a second starts here");
              }
              paragraphs.add(paragraph);
            });
    for (int i = 0; i < text.lines().size(); i++) {
      parser.line(text.lines().get(i), text.firstLine() + i);
    }
    parser.end();
    if (paragraphs.isEmpty()) {
      throw new DebianFormatException("empty Release file: no fields");
    }
    return of(paragraphs.get(0).fields());
  }

  private static ReleaseFile of(Map<String, Field> fields) throws DebianFormatException {
    Map<String, Listing> listings = new LinkedHashMap<>();
    for (ChecksumField algorithm : ChecksumField.values()) {
      Field field = fields.get(algorithm.fieldName().toLowerCase(Locale.ROOT));
      if (field == null) {
        continue;
      }
      for (Field.Line line : field.lines()) {
        list(listings, algorithm, line.text(), line.number());
      }
    }
    Map<String, ReleaseEntry> entries = new LinkedHashMap<>();
    Map<ChecksumField, Map<String, ReleaseEntry>> byHash = new EnumMap<>(ChecksumField.class);
    for (Map.Entry<String, Listing> listing : listings.entrySet()) {
      Map<String, String> hashes = new HashMap<>();
      listing.getValue().hashes.forEach((algorithm, hex) -> hashes.put(algorithm.fieldName(), hex));
      ReleaseEntry entry = new ReleaseEntry(listing.getKey(), listing.getValue().size, hashes);
      entries.put(entry.path(), entry);
      // Files with equal content (empty indexes, typically) share a digest; the first listed wins.
      listing
          .getValue()
          .hashes
          .forEach(
              (algorithm, hex) ->
                  byHash.computeIfAbsent(algorithm, a -> new HashMap<>()).putIfAbsent(hex, entry));
    }
    Map<String, String> values = new HashMap<>();
    fields.forEach((key, field) -> values.put(key, field.value()));
    return new ReleaseFile(values, entries, byHash);
  }

  private static void list(
      Map<String, Listing> listings, ChecksumField algorithm, String text, int line)
      throws DebianFormatException {
    String name = algorithm.fieldName();
    ChecksumLine checksum = ChecksumLine.parse(text, name, algorithm.hexLength(), line);
    String path = checksum.name();
    if (!RelativePath.isClean(path)) {
      throw DebianFormatException.atLine(
          line,
          name
              + " lists "
              + PackagingException.quote(path)
              + ", which is not a path inside the Release's directory");
    }
    Listing listing = listings.get(path);
    if (listing == null) {
      listing = new Listing(checksum.size(), algorithm);
      listings.put(path, listing);
    } else if (listing.hashes.containsKey(algorithm)) {
      throw DebianFormatException.atLine(
          line, name + " lists " + PackagingException.quote(path) + " twice");
    } else if (listing.size != checksum.size()) {
      throw DebianFormatException.atLine(
          line,
          name
              + " gives "
              + PackagingException.quote(path)
              + " size "
              + checksum.size()
              + ", but "
              + listing.sizeFrom.fieldName()
              + " gives size "
              + listing.size);
    }
    listing.hashes.put(algorithm, checksum.hex());
  }

  /** What the checksum fields say about one path while they are being read. */
  private static final class Listing {
    final long size;
    final ChecksumField sizeFrom;
    final Map<ChecksumField, String> hashes = new EnumMap<>(ChecksumField.class);

    Listing(long size, ChecksumField sizeFrom) {
      this.size = size;
      this.sizeFrom = sizeFrom;
    }
  }

  /**
   * The value of a field, trimmed; for a multi-line field such as {@code SHA256}, its first line
   * (often empty). Field names are case-insensitive.
   */
  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Whether the suite serves its indexes under {@code by-hash/} ({@code Acquire-By-Hash: yes}). */
  public boolean acquireByHash() {
    return field("Acquire-By-Hash").map(value -> value.equalsIgnoreCase("yes")).orElse(false);
  }

  /**
   * The file listed under {@code relativePath}, relative to the Release file's directory, e.g.
   * {@code main/binary-amd64/Packages.xz}.
   */
  public Optional<ReleaseEntry> entry(String relativePath) {
    return Optional.ofNullable(entries.get(relativePath));
  }

  /**
   * The file whose digest under {@code algorithm} is {@code hex}, as a {@code
   * by-hash/<algorithm>/<hex>} request names it. The algorithm is a by-hash directory name ({@code
   * MD5Sum}, {@code SHA1}, {@code SHA256}, {@code SHA512}, exactly); the hex digest may be in
   * either case. Where several listed files have that digest, and so the same content, the first
   * listed is returned.
   */
  public Optional<ReleaseEntry> byHash(String algorithm, String hex) {
    for (ChecksumField field : ChecksumField.values()) {
      if (field.fieldName().equals(algorithm)) {
        Map<String, ReleaseEntry> index = byHash.getOrDefault(field, Map.of());
        return Optional.ofNullable(index.get(hex.toLowerCase(Locale.ROOT)));
      }
    }
    return Optional.empty();
  }

  /** Every listed file, in the order the Release first lists them. */
  public List<ReleaseEntry> entries() {
    return entryList;
  }
}
