package dev.wheelhouse.server.testing.apt;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny but real Debian repository written into a directory: real {@code .deb} files built with
 * {@code dpkg-deb}, real {@code Packages} indexes (plain, {@code .gz}, {@code .xz}), a {@code
 * Release} file with MD5Sum and SHA256 sections and {@code Acquire-By-Hash: yes}, by-hash copies,
 * and {@code InRelease} / {@code Release.gpg} signed by {@code gpg} with a key generated once per
 * JVM. {@code apt-get} accepts it as is; serve it with {@link AptRepoServer}.
 *
 * <p>Layout under {@link #root()} (defaults: suite and codename {@code stable}, component {@code
 * main}, architecture {@code amd64}):
 *
 * <ul>
 *   <li>{@code pool/<component>/<first letter>/<name>/<name>_<version>_amd64.deb} (the epoch, if
 *       any, is left out of the file name, as Debian does);
 *   <li>{@code dists/<suite>/<component>/binary-amd64/Packages}, {@code Packages.gz}, {@code
 *       Packages.xz} (only when the {@code xz} command exists);
 *   <li>{@code dists/<suite>/<component>/binary-amd64/by-hash/SHA256/<hex>} and {@code
 *       by-hash/MD5Sum/<hex>} for each of those; copies from earlier publishes stay, as on real
 *       mirrors;
 *   <li>{@code dists/<suite>/Release}, {@code Release.gpg} (armored detached signature) and {@code
 *       InRelease} (clear-signed Release).
 * </ul>
 *
 * <p>{@link #addPackage} builds the {@code .deb} at once; the indexes change only on {@link
 * #publish()}. Every file is written atomically (temporary file, then rename), so a running server
 * never serves half a file, and a file whose bytes change gets a modification time strictly later
 * (in whole seconds, as Last-Modified carries) than its previous one, so If-Modified-Since
 * revalidation sees every change even when several happen within a second. A file whose bytes do
 * not change is not rewritten.
 *
 * <p>Needs {@code dpkg-deb} and, unless {@link #unsigned()}, {@code gpg}: check {@link
 * #unavailableReason()} (or {@link #toolsAvailable()}) first and skip the test when it is present.
 * Thread-safe.
 */
public final class AptRepo {
  /** The default suite and codename. */
  public static final String DEFAULT_SUITE = "stable";

  /** The default (and only) component. */
  public static final String DEFAULT_COMPONENT = "main";

  /** The one architecture of the repository. */
  public static final String ARCHITECTURE = "amd64";

  /** The payload size of packages added without one. */
  public static final int DEFAULT_PAYLOAD_BYTES = 512;

  /** The Maintainer of every package. */
  public static final String MAINTAINER = "Wheelhouse Tests <test@example.invalid>";

  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  private static final Pattern VERSION = Pattern.compile("([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*");
  private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final long TOOL_TIMEOUT_SECONDS = 120;

  private final Path root;
  private final String suite;
  private final String codename;
  private final String component;
  private final Map<String, Deb> packages = new TreeMap<>();
  private boolean inRelease = true;
  private boolean signed = true;
  private Instant lastDate = Instant.EPOCH;

  private AptRepo(Path root, String suite, String codename, String component) {
    this.root = root;
    this.suite = suite;
    this.codename = codename;
    this.component = component;
  }

  /**
   * An empty repository in {@code dir} (created if missing) with suite and codename {@code stable}
   * and component {@code main}. Nothing is published until {@link #publish()}.
   */
  public static AptRepo create(Path dir) {
    return create(dir, DEFAULT_SUITE, DEFAULT_COMPONENT);
  }

  /** An empty repository in {@code dir} with the given suite (also its codename) and component. */
  public static AptRepo create(Path dir, String suite, String component) {
    return create(dir, suite, suite, component);
  }

  /** An empty repository in {@code dir} with the given suite, codename and component. */
  public static AptRepo create(Path dir, String suite, String codename, String component) {
    for (String s : List.of(suite, codename, component)) {
      if (!SUITE.matcher(s).matches()) {
        throw new IllegalArgumentException("bad suite, codename or component: " + s);
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AptRepo(dir, suite, codename, component);
  }

  /**
   * Why this fixture cannot work here ({@code dpkg-deb} or {@code gpg} missing), or empty when it
   * can. Without {@code gpg} only {@link #unsigned()} repositories work.
   */
  public static Optional<String> unavailableReason() {
    if (!Tools.onPath("dpkg-deb")) {
      return Optional.of("dpkg-deb is not installed (apt install dpkg)");
    }
    if (!Tools.onPath("gpg")) {
      return Optional.of("gpg is not installed (apt install gpg)");
    }
    return Optional.empty();
  }

  /** Whether {@code dpkg-deb} and {@code gpg} are both present. */
  public static boolean toolsAvailable() {
    return unavailableReason().isEmpty();
  }

  /** Whether {@code gpg} is present (needed unless {@link #unsigned()}). */
  public static boolean gpgAvailable() {
    return Tools.onPath("gpg");
  }

  /** The repository's root directory, the URL root to serve. */
  public Path root() {
    return root;
  }

  /** The suite, the directory under {@code dists/}. */
  public String suite() {
    return suite;
  }

  /** The codename written in the Release file. */
  public String codename() {
    return codename;
  }

  /** The component. */
  public String component() {
    return component;
  }

  /**
   * A {@code sources.list} line for this repository at {@code baseUrl}, with {@code options} inside
   * the brackets when not empty: {@code deb [trusted=yes] http://127.0.0.1:PORT/ stable main}.
   */
  public String sourceLine(URI baseUrl, String options) {
    String opts = options == null || options.isBlank() ? "" : "[" + options.trim() + "] ";
    return "deb " + opts + baseUrl + " " + suite + " " + component;
  }

  /** From the next {@link #publish()} on: no {@code InRelease} (an earlier one is deleted). */
  public synchronized AptRepo withoutInRelease() {
    inRelease = false;
    return this;
  }

  /** From the next {@link #publish()} on: {@code InRelease} again (the default). */
  public synchronized AptRepo withInRelease() {
    inRelease = true;
    return this;
  }

  /**
   * From the next {@link #publish()} on: neither {@code InRelease} nor {@code Release.gpg} (earlier
   * ones are deleted); apt then needs {@code [trusted=yes]}. Works without {@code gpg}.
   */
  public synchronized AptRepo unsigned() {
    signed = false;
    return this;
  }

  /** From the next {@link #publish()} on: signed again (the default). */
  public synchronized AptRepo signed() {
    signed = true;
    return this;
  }

  /**
   * Builds {@code name}'s {@code .deb} with a {@value #DEFAULT_PAYLOAD_BYTES}-byte payload; see
   * {@link #addPackage(String, String, int, String...)}.
   */
  public AptRepo addPackage(String name, String version, String... depends) {
    return addPackage(name, version, DEFAULT_PAYLOAD_BYTES, depends);
  }

  /**
   * Builds a real {@code .deb} (with {@code dpkg-deb --root-owner-group --build}, data compressed
   * with gzip) holding one file, {@code /usr/share/doc/<name>/payload}, of {@code payloadBytes}
   * deterministic pseudo-random bytes (seeded by name and version, so the same name and version
   * always give the same {@code .deb}, and barely compressible, so the {@code .deb} is a little
   * bigger than the payload). Each entry of {@code depends} is one Depends item, such as {@code
   * "whtest-lib (>= 2.0)"} or {@code "a | b"}. Replaces an earlier version of {@code name} in the
   * next index; the earlier {@code .deb} stays in the pool. Versions may contain {@code +}, {@code
   * ~} and an epoch ({@code 1:2.0}).
   */
  public synchronized AptRepo addPackage(
      String name, String version, int payloadBytes, String... depends) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad package name: " + name);
    }
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("bad version: " + version);
    }
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("negative payload size");
    }
    List<String> deps = List.of(depends);
    for (String d : deps) {
      if (d.isBlank() || d.contains("\n") || d.contains(",")) {
        throw new IllegalArgumentException("bad Depends item: " + d);
      }
    }
    String fileVersion =
        version.contains(":") ? version.substring(version.indexOf(':') + 1) : version;
    String relative =
        "pool/"
            + component
            + "/"
            + name.charAt(0)
            + "/"
            + name
            + "/"
            + name
            + "_"
            + fileVersion
            + "_"
            + ARCHITECTURE
            + ".deb";
    String control = control(name, version, deps);
    Path target = root.resolve(relative);
    try {
      Files.createDirectories(target.getParent());
      byte[] deb = buildDeb(name, version, payloadBytes, control);
      writeIfChanged(target, deb);
      packages.put(
          name,
          new Deb(
              name,
              version,
              deps,
              relative,
              deb.length,
              hex(digest("MD5", deb)),
              hex(digest("SHA-256", deb))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Takes {@code name} out of the next index (its {@code .deb} files stay in the pool). */
  public synchronized AptRepo removePackage(String name) {
    if (packages.remove(name) == null) {
      throw new IllegalArgumentException("no package " + name);
    }
    return this;
  }

  /** The names of the packages the next index lists, sorted. */
  public synchronized List<String> packageNames() {
    return List.copyOf(packages.keySet());
  }

  /** The version of {@code name} the next index lists. */
  public synchronized String version(String name) {
    return deb(name).version;
  }

  /**
   * The path, relative to {@link #root()}, of the current {@code .deb} of {@code name}, such as
   * {@code pool/main/w/whtest-app/whtest-app_1.0+dfsg~1_amd64.deb} (not percent-encoded).
   */
  public synchronized String debPath(String name) {
    return deb(name).relativePath;
  }

  /** {@code dists/<suite>}, relative to {@link #root()}. */
  public String distPath() {
    return "dists/" + suite;
  }

  /**
   * {@code dists/<suite>/<component>/binary-amd64/<file>}, relative to {@link #root()}; {@code
   * file} is {@code Packages}, {@code Packages.gz} or {@code Packages.xz}.
   */
  public String indexPath(String file) {
    return distPath() + "/" + component + "/binary-" + ARCHITECTURE + "/" + file;
  }

  /**
   * The by-hash path (relative to {@link #root()}) of the current content of an index file given
   * relative to the root, e.g. {@code byHashPath(indexPath("Packages.xz"))} is {@code
   * dists/stable/main/binary-amd64/by-hash/SHA256/<hex>}.
   */
  public String byHashPath(String indexRelativePath) {
    int slash = indexRelativePath.lastIndexOf('/');
    return indexRelativePath.substring(0, slash) + "/by-hash/SHA256/" + sha256(indexRelativePath);
  }

  /** The sha256 (lower-case hex) of the file at {@code relativePath} under {@link #root()}. */
  public String sha256(String relativePath) {
    try (InputStream in = Files.newInputStream(resolve(relativePath))) {
      MessageDigest md = newDigest("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return hex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The size in bytes of the file at {@code relativePath} under {@link #root()}. */
  public long size(String relativePath) {
    try {
      return Files.size(resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of the file at {@code relativePath} under {@link #root()}. */
  public byte[] read(String relativePath) {
    try {
      return Files.readAllBytes(resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the public key that signs {@code InRelease} and {@code Release.gpg} to {@code file}, for
   * a {@code signed-by=} option: binary ({@code gpg --export}), or armored when the name ends with
   * {@code .asc} (apt tells the two apart by that extension). Returns {@code file}.
   */
  public static Path exportPublicKey(Path file) {
    return Gpg.key().export(file);
  }

  /** The fingerprint (40 hex digits, upper case) of the signing key. */
  public static String keyFingerprint() {
    return Gpg.key().fingerprint;
  }

  /**
   * (Re)writes the indexes, by-hash copies, {@code Release} and, unless told otherwise, {@code
   * InRelease} and {@code Release.gpg}. Files are written leaves first (indexes, then by-hash, then
   * Release, Release.gpg, InRelease), each atomically. The Release Date is now, never earlier than
   * the previous publish's.
   */
  public synchronized AptRepo publish() {
    try {
      String binary = distPath() + "/" + component + "/binary-" + ARCHITECTURE;
      Files.createDirectories(resolve(binary));
      byte[] plain = packagesIndex().getBytes(StandardCharsets.UTF_8);
      Map<String, byte[]> indexes = new LinkedHashMap<>();
      indexes.put("Packages", plain);
      indexes.put("Packages.gz", gzip(plain));
      if (Tools.onPath("xz")) {
        indexes.put("Packages.xz", Tools.run(List.of("xz", "-c", "-6"), plain, Map.of()));
      } else {
        Files.deleteIfExists(resolve(binary + "/Packages.xz"));
      }
      for (Map.Entry<String, byte[]> e : indexes.entrySet()) {
        writeIfChanged(resolve(binary + "/" + e.getKey()), e.getValue());
      }
      for (byte[] content : indexes.values()) {
        Path sha = resolve(binary + "/by-hash/SHA256/" + hex(digest("SHA-256", content)));
        Path md5 = resolve(binary + "/by-hash/MD5Sum/" + hex(digest("MD5", content)));
        Files.createDirectories(sha.getParent());
        Files.createDirectories(md5.getParent());
        writeIfChanged(sha, content);
        writeIfChanged(md5, content);
      }

      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      lastDate = now.isAfter(lastDate) ? now : lastDate;
      StringBuilder release =
          new StringBuilder()
              .append("Origin: Wheelhouse Tests\n")
              .append("Label: Wheelhouse Tests\n")
              .append("Suite: ")
              .append(suite)
              .append('\n')
              .append("Codename: ")
              .append(codename)
              .append('\n')
              .append("Date: ")
              .append(RFC_2822.format(lastDate))
              .append('\n')
              .append("Architectures: ")
              .append(ARCHITECTURE)
              .append('\n')
              .append("Components: ")
              .append(component)
              .append('\n')
              .append("Description: wheelhouse test repository\n")
              .append("Acquire-By-Hash: yes\n");
      String prefix = component + "/binary-" + ARCHITECTURE + "/";
      for (String[] section : new String[][] {{"MD5Sum", "MD5"}, {"SHA256", "SHA-256"}}) {
        release.append(section[0]).append(":\n");
        for (Map.Entry<String, byte[]> e : indexes.entrySet()) {
          release.append(
              String.format(
                  Locale.ROOT,
                  " %s %16d %s\n",
                  hex(digest(section[1], e.getValue())),
                  e.getValue().length,
                  prefix + e.getKey()));
        }
      }
      byte[] releaseBytes = release.toString().getBytes(StandardCharsets.UTF_8);
      Path releasePath = resolve(distPath() + "/Release");
      Path gpgPath = resolve(distPath() + "/Release.gpg");
      Path inReleasePath = resolve(distPath() + "/InRelease");
      writeIfChanged(releasePath, releaseBytes);
      if (signed) {
        Gpg key = Gpg.key();
        writeIfChanged(gpgPath, key.sign(releaseBytes, "--armor", "--detach-sign"));
        if (inRelease) {
          writeIfChanged(inReleasePath, key.sign(releaseBytes, "--clearsign"));
        } else {
          Files.deleteIfExists(inReleasePath);
        }
      } else {
        Files.deleteIfExists(gpgPath);
        Files.deleteIfExists(inReleasePath);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The text of the {@code Packages} index the next {@link #publish()} writes. */
  public synchronized String packagesIndex() {
    StringBuilder out = new StringBuilder();
    for (Deb d : packages.values()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("Package: ").append(d.name).append('\n');
      out.append("Version: ").append(d.version).append('\n');
      out.append("Architecture: ").append(ARCHITECTURE).append('\n');
      out.append("Maintainer: ").append(MAINTAINER).append('\n');
      if (!d.depends.isEmpty()) {
        out.append("Depends: ").append(String.join(", ", d.depends)).append('\n');
      }
      out.append("Filename: ").append(d.relativePath).append('\n');
      out.append("Size: ").append(d.size).append('\n');
      out.append("MD5sum: ").append(d.md5).append('\n');
      out.append("SHA256: ").append(d.sha256).append('\n');
      out.append("Description: ").append(description(d.name)).append('\n');
    }
    return out.toString();
  }

  private Deb deb(String name) {
    Deb d = packages.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no package " + name);
    }
    return d;
  }

  private Path resolve(String relativePath) {
    String r = relativePath.startsWith("/") ? relativePath.substring(1) : relativePath;
    Path p = root.resolve(r).normalize();
    if (!p.startsWith(root.normalize())) {
      throw new IllegalArgumentException("outside the repository: " + relativePath);
    }
    return p;
  }

  private static String description(String name) {
    return "wheelhouse test package " + name;
  }

  private static String control(String name, String version, List<String> deps) {
    StringBuilder c =
        new StringBuilder()
            .append("Package: ")
            .append(name)
            .append('\n')
            .append("Version: ")
            .append(version)
            .append('\n')
            .append("Architecture: ")
            .append(ARCHITECTURE)
            .append('\n')
            .append("Maintainer: ")
            .append(MAINTAINER)
            .append('\n');
    if (!deps.isEmpty()) {
      c.append("Depends: ").append(String.join(", ", deps)).append('\n');
    }
    c.append("Description: ").append(description(name)).append('\n');
    c.append(" Built by dev.wheelhouse.server.testing.apt.AptRepo.\n");
    return c.toString();
  }

  private static byte[] buildDeb(String name, String version, int payloadBytes, String control)
      throws IOException {
    Path work = Files.createTempDirectory("aptrepo-deb-");
    try {
      Path tree = work.resolve("tree");
      Path debian = tree.resolve("DEBIAN");
      Files.createDirectories(debian);
      Files.writeString(debian.resolve("control"), control, StandardCharsets.UTF_8);
      Path doc = tree.resolve("usr/share/doc/" + name);
      Files.createDirectories(doc);
      Files.write(doc.resolve("payload"), payload(name, version, payloadBytes));
      // Fixed permissions and times so that the same package always gives the same bytes.
      try (Stream<Path> walk = Files.walk(tree)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Files.setPosixFilePermissions(
              p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
          Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        }
      }
      Path out = work.resolve("out.deb");
      Tools.run(
          List.of(
              "dpkg-deb",
              "--root-owner-group",
              "-Zgzip",
              "--build",
              tree.toString(),
              out.toString()),
          null,
          Map.of("SOURCE_DATE_EPOCH", "1704067200"));
      return Files.readAllBytes(out);
    } finally {
      Tools.deleteRecursively(work);
    }
  }

  /** Deterministic pseudo-random bytes seeded by name and version. */
  static byte[] payload(String name, String version, int size) {
    byte[] seedBytes = digest("SHA-256", (name + "_" + version).getBytes(StandardCharsets.UTF_8));
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = (seed << 8) | (seedBytes[i] & 0xff);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        out[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return out;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes {@code bytes} to {@code target} by rename unless it already holds them, with a
   * modification time strictly later (whole seconds) than the replaced file's.
   */
  static void writeIfChanged(Path target, byte[] bytes) throws IOException {
    Instant previous = null;
    if (Files.isRegularFile(target)) {
      if (Files.size(target) == bytes.length && Arrays.equals(Files.readAllBytes(target), bytes)) {
        return;
      }
      previous = Files.getLastModifiedTime(target).toInstant();
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant mtime =
        previous == null || now.isAfter(previous)
            ? now
            : previous.truncatedTo(ChronoUnit.SECONDS).plus(1, ChronoUnit.SECONDS);
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      Files.setLastModifiedTime(tmp, FileTime.from(mtime));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] digest(String algorithm, byte[] data) {
    return newDigest(algorithm).digest(data);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private record Deb(
      String name,
      String version,
      List<String> depends,
      String relativePath,
      long size,
      String md5,
      String sha256) {}

  /** The per-JVM signing key in a temporary GNUPGHOME under /tmp; its agent dies at JVM exit. */
  private static final class Gpg {
    private static Gpg instance;

    final Path home;
    final String fingerprint;

    private Gpg(Path home, String fingerprint) {
      this.home = home;
      this.fingerprint = fingerprint;
    }

    static synchronized Gpg key() {
      if (instance == null) {
        instance = generate();
      }
      return instance;
    }

    private static Gpg generate() {
      if (!gpgAvailable()) {
        throw new IllegalStateException("gpg is not installed: use AptRepo.unsigned()");
      }
      try {
        // Short path: gpg-agent's socket path must fit in sun_path (108 bytes).
        Path home = Files.createTempDirectory(Path.of("/tmp"), "whgpg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        Tools.run(
                            List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"),
                            null,
                            Map.of());
                      } catch (IOException | RuntimeException e) {
                        // Best effort: the agent also exits once its socket is gone.
                      }
                      Tools.deleteRecursively(home);
                    },
                    "aptrepo-gpg-cleanup"));
        Gpg gpg = new Gpg(home, "");
        gpg.gpg(
            null,
            "--quick-gen-key",
            "wheelhouse test <test@example.invalid>",
            "ed25519",
            "sign",
            "never");
        String colons =
            new String(
                gpg.gpg(null, "--with-colons", "--list-secret-keys"), StandardCharsets.UTF_8);
        String fpr = null;
        for (String line : colons.split("\n", -1)) {
          if (line.startsWith("fpr:")) {
            fpr = line.split(":", -1)[9];
            break;
          }
        }
        if (fpr == null) {
          throw new IllegalStateException("no key after gpg --quick-gen-key:\n" + colons);
        }
        return new Gpg(home, fpr);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] sign(byte[] data, String... mode) throws IOException {
      List<String> args =
          new ArrayList<>(List.of("--local-user", fingerprint, "--digest-algo", "SHA512"));
      args.addAll(List.of(mode));
      return gpg(data, args.toArray(String[]::new));
    }

    Path export(Path file) {
      try {
        List<String> args = new ArrayList<>();
        if (file.getFileName().toString().endsWith(".asc")) {
          args.add("--armor");
        }
        args.add("--export");
        args.add(fingerprint);
        byte[] key = gpg(null, args.toArray(String[]::new));
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.write(file, key);
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private byte[] gpg(byte[] stdin, String... args) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "gpg",
                  "--homedir",
                  home.toString(),
                  "--batch",
                  "--quiet",
                  "--no-tty",
                  "--pinentry-mode",
                  "loopback",
                  "--passphrase",
                  ""));
      command.addAll(List.of(args));
      return Tools.run(command, stdin, Map.of("GNUPGHOME", home.toString()));
    }
  }

  /** Running the command-line tools. */
  static final class Tools {
    private Tools() {}

    static boolean onPath(String command) {
      String path = System.getenv("PATH");
      if (path == null || path.isEmpty()) {
        path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
      }
      for (String dir : path.split(":", -1)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
          return true;
        }
      }
      return false;
    }

    /** Runs {@code command}, feeding {@code stdin}; returns stdout, throws on a non-zero exit. */
    static byte[] run(List<String> command, byte[] stdin, Map<String, String> env)
        throws IOException {
      Path err = Files.createTempFile("aptrepo-tool-", ".err");
      Path out = Files.createTempFile("aptrepo-tool-", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectError(err.toFile());
        pb.redirectOutput(out.toFile());
        if (stdin == null) {
          pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
          try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
          }
        }
        boolean done;
        try {
          done = p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
          throw new IOException("interrupted running " + command, e);
        }
        if (!done) {
          p.destroyForcibly();
          throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
          throw new IOException(
              command
                  + " exited with "
                  + p.exitValue()
                  + ":\n"
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(err);
        Files.deleteIfExists(out);
      }
    }

    static void deleteRecursively(Path dir) {
      if (!Files.exists(dir)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        // Best effort: leftover temporary files (a socket gone mid-walk) do no harm.
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "AptRepo["
        + root
        + ", "
        + suite
        + "/"
        + component
        + ", "
        + Objects.toString(packages.keySet())
        + "]";
  }
}
