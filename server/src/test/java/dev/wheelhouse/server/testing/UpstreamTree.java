package dev.wheelhouse.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A static PEP 503/691 package index written into a directory, served by {@link UpstreamIndex}.
 *
 * <p>Layout under {@link #root()}:
 *
 * <ul>
 *   <li>{@code files/<filename>} (and {@code files/<filename>.metadata} for PEP 658 metadata);
 *   <li>{@code simple/index.html}, {@code simple/index.json}: the project list;
 *   <li>{@code simple/<normalized>/index.html} (PEP 503, repository-version 1.1) and {@code
 *       simple/<normalized>/index.json} (PEP 691 v1.1).
 * </ul>
 *
 * <p>Every change rewrites the affected pages at once (atomically, by rename), so a running {@link
 * UpstreamIndex} serves the new state on its next request. A page whose bytes change gets a
 * modification time strictly later than its previous one (whole seconds, as Last-Modified carries),
 * so If-Modified-Since revalidation sees every change even when several happen within a second.
 */
public final class UpstreamTree {
  /** The upload-time given to files unless {@link FileOptions#uploadTime} says otherwise. */
  public static final Instant DEFAULT_UPLOAD_TIME = Instant.parse("2024-01-01T00:00:00Z");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter UPLOAD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Path root;
  private final Map<String, Project> projects = new TreeMap<>();

  private UpstreamTree(Path root) {
    this.root = root;
  }

  /** An empty index in {@code dir} (created if missing); writes the empty project list. */
  public static UpstreamTree in(Path dir) {
    UpstreamTree tree = new UpstreamTree(dir);
    try {
      Files.createDirectories(tree.filesDir());
      Files.createDirectories(tree.simpleDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tree.writeRoot();
    return tree;
  }

  /** The PEP 503 normalized form of a project name. */
  public static String normalize(String name) {
    return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }

  public Path root() {
    return root;
  }

  /** Where the distribution files are: {@code root()/files}. */
  public Path filesDir() {
    return root.resolve("files");
  }

  /** Where the pages are: {@code root()/simple}. */
  public Path simpleDir() {
    return root.resolve("simple");
  }

  /** Lists {@code distributionFile} on {@code project}'s page with default {@link FileOptions}. */
  public UpstreamTree add(String project, Path distributionFile) {
    return add(project, distributionFile, FileOptions.defaults());
  }

  /**
   * Copies {@code file} into {@code files/} (unless its link points at another host) and lists it
   * on {@code project}'s page, replacing a listed file of the same name.
   */
  public synchronized UpstreamTree add(String project, Path file, FileOptions options) {
    String filename = file.getFileName().toString();
    checkFilename(filename);
    try {
      byte[] sha256 = sha256(file);
      long size = Files.size(file);
      String metadataSha256 = null;
      if (options.coreMetadata) {
        if (options.linkStyle == LinkStyle.ABSOLUTE) {
          throw new IllegalArgumentException(
              "core metadata for a file on another host: host it there with withCoreMetadata");
        }
        byte[] metadata = TestWheels.metadataOf(file);
        writeAtomically(filesDir().resolve(filename + ".metadata"), metadata, null);
        metadataSha256 = hex(sha256(metadata));
      }
      if (options.linkStyle != LinkStyle.ABSOLUTE) {
        copyAtomically(file, filesDir().resolve(filename));
      }
      String normalized = normalize(project);
      Project p = projects.computeIfAbsent(normalized, n -> new Project());
      p.files.put(filename, new Entry(filename, hex(sha256), size, metadataSha256, options));
      writeProject(normalized, p);
      writeRoot();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Puts {@code file} into {@code files/} without listing it on any page: how a files-only host
   * (the target of {@link FileOptions#absoluteLinkOn}) holds the files another index links to.
   */
  public synchronized UpstreamTree host(Path file) {
    return host(file, false);
  }

  /** As {@link #host(Path)}, also writing {@code <file>.metadata} when {@code coreMetadata}. */
  public synchronized UpstreamTree host(Path file, boolean coreMetadata) {
    String filename = file.getFileName().toString();
    checkFilename(filename);
    try {
      copyAtomically(file, filesDir().resolve(filename));
      if (coreMetadata) {
        writeAtomically(
            filesDir().resolve(filename + ".metadata"), TestWheels.metadataOf(file), null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Takes {@code filename} off {@code project}'s page (the file itself stays in {@code files/}); a
   * project left without files keeps an empty page.
   */
  public synchronized UpstreamTree remove(String project, String filename) {
    String normalized = normalize(project);
    Project p = projects.get(normalized);
    if (p == null || p.files.remove(filename) == null) {
      throw new IllegalArgumentException(filename + " is not listed on " + normalized);
    }
    writeProject(normalized, p);
    return this;
  }

  /** The sha256 (hex) of a listed file. */
  public synchronized String sha256(String project, String filename) {
    Project p = projects.get(normalize(project));
    Entry e = p == null ? null : p.files.get(filename);
    if (e == null) {
      throw new IllegalArgumentException(filename + " is not listed on " + normalize(project));
    }
    return e.sha256;
  }

  /** The normalized names of the projects, sorted. */
  public synchronized List<String> projects() {
    return List.copyOf(projects.keySet());
  }

  private void writeProject(String normalized, Project project) {
    StringBuilder html =
        new StringBuilder()
            .append("<!DOCTYPE html>\n<html>\n  <head>\n")
            .append("    <meta name=\"pypi:repository-version\" content=\"1.1\">\n")
            .append("    <title>Links for ")
            .append(escape(normalized))
            .append("</title>\n  </head>\n  <body>\n    <h1>Links for ")
            .append(escape(normalized))
            .append("</h1>\n");
    Set<String> versions = new LinkedHashSet<>();
    List<Map<String, Object>> files = new ArrayList<>();
    for (Entry e : project.files.values()) {
      FileOptions o = e.options;
      versions.add(o.version != null ? o.version : versionOf(e.filename));
      String url = url(e.filename, o);
      html.append("    <a href=\"").append(escape(url));
      if (!o.omitHash) {
        html.append("#sha256=").append(e.sha256);
      }
      html.append('"');
      if (o.requiresPython != null) {
        html.append(" data-requires-python=\"").append(escape(o.requiresPython)).append('"');
      }
      if (o.yanked) {
        html.append(" data-yanked=\"").append(escape(o.yankedReason)).append('"');
      }
      if (e.metadataSha256 != null) {
        html.append(" data-core-metadata=\"sha256=").append(e.metadataSha256).append('"');
        html.append(" data-dist-info-metadata=\"sha256=").append(e.metadataSha256).append('"');
      }
      html.append('>').append(escape(e.filename)).append("</a><br/>\n");

      Map<String, Object> file = new LinkedHashMap<>();
      file.put("filename", e.filename);
      file.put("url", url);
      file.put("hashes", o.omitHash ? Map.of() : Map.of("sha256", e.sha256));
      file.put("requires-python", o.requiresPython);
      if (o.yanked && !o.yankedReason.isEmpty()) {
        file.put("yanked", o.yankedReason);
      } else {
        file.put("yanked", o.yanked);
      }
      file.put(
          "core-metadata", e.metadataSha256 == null ? false : Map.of("sha256", e.metadataSha256));
      file.put("size", e.size);
      if (o.uploadTime != null) {
        file.put("upload-time", UPLOAD_TIME.format(o.uploadTime));
      }
      files.add(file);
    }
    html.append("  </body>\n</html>\n");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("meta", Map.of("api-version", "1.1"));
    json.put("name", normalized);
    json.put("versions", List.copyOf(versions));
    json.put("files", files);
    writePages(simpleDir().resolve(normalized), html.toString(), json);
  }

  private void writeRoot() {
    StringBuilder html =
        new StringBuilder()
            .append("<!DOCTYPE html>\n<html>\n  <head>\n")
            .append("    <meta name=\"pypi:repository-version\" content=\"1.1\">\n")
            .append("    <title>Simple index</title>\n  </head>\n  <body>\n");
    List<Map<String, Object>> list = new ArrayList<>();
    for (String name : projects.keySet()) {
      html.append("    <a href=\"")
          .append(escape(name))
          .append("/\">")
          .append(escape(name))
          .append("</a>\n");
      list.add(Map.of("name", name));
    }
    html.append("  </body>\n</html>\n");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("meta", Map.of("api-version", "1.1"));
    json.put("projects", list);
    writePages(simpleDir(), html.toString(), json);
  }

  private static void writePages(Path dir, String html, Map<String, Object> json) {
    try {
      Files.createDirectories(dir);
      Path htmlPage = dir.resolve("index.html");
      Path jsonPage = dir.resolve("index.json");
      byte[] htmlBytes = html.getBytes(StandardCharsets.UTF_8);
      byte[] jsonBytes = JSON.writeValueAsBytes(json);
      if (Files.isRegularFile(htmlPage)
          && Files.isRegularFile(jsonPage)
          && Arrays.equals(Files.readAllBytes(htmlPage), htmlBytes)
          && Arrays.equals(Files.readAllBytes(jsonPage), jsonBytes)) {
        return;
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant previous =
          Files.exists(htmlPage) ? Files.getLastModifiedTime(htmlPage).toInstant() : Instant.EPOCH;
      Instant mtime =
          now.isAfter(previous)
              ? now
              : previous.truncatedTo(ChronoUnit.SECONDS).plus(1, ChronoUnit.SECONDS);
      FileTime time = FileTime.from(mtime);
      writeAtomically(jsonPage, jsonBytes, time);
      writeAtomically(htmlPage, htmlBytes, time);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeAtomically(Path target, byte[] bytes, FileTime mtime)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    if (mtime != null) {
      Files.setLastModifiedTime(tmp, mtime);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void copyAtomically(Path source, Path target) throws IOException {
    if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
      return;
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String url(String filename, FileOptions o) {
    String segment = encodeSegment(filename, o.literalPlus);
    return switch (o.linkStyle) {
      case RELATIVE -> "../../files/" + segment;
      case ROOT_RELATIVE -> "/files/" + segment;
      case ABSOLUTE -> {
        String base = o.absoluteBase.toString();
        yield (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + "/files/"
            + segment;
      }
    };
  }

  /** Percent-encodes all but RFC 3986 unreserved characters ('+' too unless literalPlus). */
  static String encodeSegment(String s, boolean literalPlus) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || (literalPlus && c == '+')) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  /** The version in a wheel or sdist filename. */
  static String versionOf(String filename) {
    if (filename.endsWith(".whl")) {
      String[] parts = filename.split("-", -1);
      if (parts.length >= 5) {
        return parts[1];
      }
    }
    for (String ext : List.of(".tar.gz", ".tar.bz2", ".tgz", ".zip", ".tar")) {
      if (filename.endsWith(ext)) {
        String stem = filename.substring(0, filename.length() - ext.length());
        int dash = stem.lastIndexOf('-');
        if (dash > 0) {
          return stem.substring(dash + 1);
        }
      }
    }
    throw new IllegalArgumentException(
        "cannot tell the version of " + filename + ": give FileOptions.version");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static void checkFilename(String filename) {
    if (filename.isEmpty()
        || filename.equals(".")
        || filename.equals("..")
        || filename.contains("/")
        || filename.contains("\\")
        || filename.endsWith(".tmp")) {
      throw new IllegalArgumentException("bad filename: " + filename);
    }
  }

  static byte[] sha256(Path file) throws IOException {
    MessageDigest digest = sha256Digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  static byte[] sha256(byte[] bytes) {
    return sha256Digest().digest(bytes);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Project {
    final Map<String, Entry> files = new LinkedHashMap<>();
  }

  private record Entry(
      String filename, String sha256, long size, String metadataSha256, FileOptions options) {}

  /** How a file's link is written. */
  public enum LinkStyle {
    /** {@code ../../files/<file>}: relative to the project page, like most mirrors. */
    RELATIVE,
    /** {@code /files/<file>}: root-relative, like download.pytorch.org. */
    ROOT_RELATIVE,
    /** {@code <base>/files/<file>} on another host; see {@link FileOptions#absoluteLinkOn}. */
    ABSOLUTE
  }

  /**
   * How a file is listed. Immutable: every method returns a changed copy. Defaults: relative link
   * with {@code #sha256=}, no requires-python, not yanked, no core metadata, version from the
   * filename, upload-time {@link #DEFAULT_UPLOAD_TIME}, '+' in the link written as {@code %2B}.
   */
  public static final class FileOptions {
    private static final FileOptions DEFAULTS =
        new FileOptions(
            false,
            false,
            "",
            null,
            LinkStyle.RELATIVE,
            null,
            false,
            DEFAULT_UPLOAD_TIME,
            null,
            false);

    final boolean omitHash;
    final boolean yanked;
    final String yankedReason;
    final String requiresPython;
    final LinkStyle linkStyle;
    final URI absoluteBase;
    final boolean coreMetadata;
    final Instant uploadTime; // null: no upload-time key
    final String version;
    final boolean literalPlus;

    private FileOptions(
        boolean omitHash,
        boolean yanked,
        String yankedReason,
        String requiresPython,
        LinkStyle linkStyle,
        URI absoluteBase,
        boolean coreMetadata,
        Instant uploadTime,
        String version,
        boolean literalPlus) {
      this.omitHash = omitHash;
      this.yanked = yanked;
      this.yankedReason = yankedReason;
      this.requiresPython = requiresPython;
      this.linkStyle = linkStyle;
      this.absoluteBase = absoluteBase;
      this.coreMetadata = coreMetadata;
      this.uploadTime = uploadTime;
      this.version = version;
      this.literalPlus = literalPlus;
    }

    public static FileOptions defaults() {
      return DEFAULTS;
    }

    /** No {@code #sha256=} on the link and {@code "hashes": {}} (PyTorch nightlies). */
    public FileOptions omitHash() {
      return new FileOptions(
          true,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          uploadTime,
          version,
          literalPlus);
    }

    /** PEP 592 yanked without a reason: {@code data-yanked=""}, JSON {@code true}. */
    public FileOptions yanked() {
      return yanked("");
    }

    /** PEP 592 yanked with a reason: {@code data-yanked="<reason>"}, JSON the reason. */
    public FileOptions yanked(String reason) {
      return new FileOptions(
          omitHash,
          true,
          Objects.requireNonNull(reason),
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          uploadTime,
          version,
          literalPlus);
    }

    /** {@code data-requires-python} (HTML-escaped) and JSON {@code requires-python}. */
    public FileOptions requiresPython(String specifier) {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          Objects.requireNonNull(specifier),
          linkStyle,
          absoluteBase,
          coreMetadata,
          uploadTime,
          version,
          literalPlus);
    }

    /** {@link LinkStyle#RELATIVE} or {@link LinkStyle#ROOT_RELATIVE}. */
    public FileOptions link(LinkStyle style) {
      if (style == LinkStyle.ABSOLUTE) {
        throw new IllegalArgumentException("use absoluteLinkOn(base)");
      }
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          style,
          null,
          coreMetadata,
          uploadTime,
          version,
          literalPlus);
    }

    /** {@code ../../files/<file>} (the default). */
    public FileOptions relativeLink() {
      return link(LinkStyle.RELATIVE);
    }

    /** {@code /files/<file>}. */
    public FileOptions rootRelativeLink() {
      return link(LinkStyle.ROOT_RELATIVE);
    }

    /**
     * An absolute link {@code <base>/files/<file>} to another host, such as a second {@link
     * UpstreamIndex}'s {@link UpstreamIndex#baseUrl()}. The file is then not copied into this tree:
     * put it on the other host with {@link UpstreamTree#host(Path)}.
     */
    public FileOptions absoluteLinkOn(URI base) {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          LinkStyle.ABSOLUTE,
          Objects.requireNonNull(base),
          coreMetadata,
          uploadTime,
          version,
          literalPlus);
    }

    /**
     * PEP 658/714: writes {@code files/<file>.metadata} (the wheel's METADATA bytes) and advertises
     * it as {@code data-core-metadata="sha256=..."} (and {@code data-dist-info-metadata}) and JSON
     * {@code core-metadata: {sha256}}. Wheels built by {@link TestWheels} only.
     */
    public FileOptions withCoreMetadata() {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          true,
          uploadTime,
          version,
          literalPlus);
    }

    /** The JSON {@code upload-time}. */
    public FileOptions uploadTime(Instant time) {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          Objects.requireNonNull(time),
          version,
          literalPlus);
    }

    /** No JSON {@code upload-time} key (it is optional in PEP 700). */
    public FileOptions withoutUploadTime() {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          null,
          version,
          literalPlus);
    }

    /** The version put in the JSON versions list, for filenames it cannot be read from. */
    public FileOptions version(String version) {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          uploadTime,
          Objects.requireNonNull(version),
          literalPlus);
    }

    /** Writes '+' in the link as is instead of {@code %2B}. */
    public FileOptions literalPlus() {
      return new FileOptions(
          omitHash,
          yanked,
          yankedReason,
          requiresPython,
          linkStyle,
          absoluteBase,
          coreMetadata,
          uploadTime,
          version,
          true);
    }
  }
}
