package dev.wheelhouse.packaging.requirements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.wheelhouse.packaging.InvalidNameException;
import dev.wheelhouse.packaging.InvalidVersionException;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.Version;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Maps a parsed {@code pylock.toml} onto {@link PyLock}, checking what PEP 751 requires. */
final class PyLockReader {
  private static final TomlMapper TOML = new TomlMapper();
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final int SUPPORTED_MAJOR_VERSION = 1;

  private final String lockName;

  PyLockReader(String lockName) {
    this.lockName = lockName;
  }

  PyLock read(String toml) {
    JsonNode root;
    try {
      root = TOML.readTree(toml);
    } catch (JsonProcessingException e) {
      // Jackson's full message spans lines (it quotes the source); keep the reason and the line.
      String reason = WHITESPACE.matcher(String.valueOf(e.getOriginalMessage())).replaceAll(" ");
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw error("not valid TOML: " + reason + where);
    }
    TomlTable lock = new TomlTable(root, this::error);
    String lockVersion = lockVersion(lock);
    Optional<String> requiresPython = lock.string("requires-python");
    requiresPython.ifPresent(text -> specifiers(text, lock, "requires-python"));
    List<String> environments = lock.strings("environments");
    for (String environment : environments) {
      marker(environment, lock, "environments");
    }
    if (!lock.has("packages")) {
      throw lock.error("[[packages]] is required");
    }
    List<PyLock.LockedPackage> packages = new ArrayList<>();
    List<JsonNode> packageTables = lock.tableArray("packages");
    for (int i = 0; i < packageTables.size(); i++) {
      packages.add(lockedPackage(packageTables.get(i), i));
    }
    return new PyLock(
        lockVersion, requiresPython, List.copyOf(environments), List.copyOf(packages));
  }

  /** PEP 751: tools must refuse a major version they do not know; 1.x is this reader's. */
  private String lockVersion(TomlTable lock) {
    String text = lock.requiredString("lock-version");
    Version version;
    try {
      version = Version.parse(text);
    } catch (InvalidVersionException e) {
      throw lock.error("lock-version " + PackagingException.quote(text) + " is not a version");
    }
    if (version.epoch() != 0 || version.release().get(0).longValue() != SUPPORTED_MAJOR_VERSION) {
      throw lock.error(
          "lock-version "
              + PackagingException.quote(text)
              + " is not supported: only lock-version 1.x is");
    }
    return text;
  }

  private PyLock.LockedPackage lockedPackage(JsonNode node, int packageIndex) {
    String label = packageLabel(node, packageIndex);
    TomlTable table = new TomlTable(node, reason -> error(label + ": " + reason));
    String name = projectName(table);
    Optional<String> version = table.string("version");
    version.ifPresent(text -> version(text, table));
    Optional<Marker> marker = table.string("marker").map(text -> marker(text, table, "marker"));
    table.string("requires-python").ifPresent(text -> specifiers(text, table, "requires-python"));
    Optional<String> index = table.string("index");
    Optional<PyLock.LockedFile> sdist = table.table("sdist", "sdist").map(PyLockReader::lockedFile);
    List<PyLock.LockedFile> wheels = new ArrayList<>();
    List<JsonNode> wheelTables = table.tableArray("wheels");
    for (int i = 0; i < wheelTables.size(); i++) {
      String wheelLabel = "wheels[" + i + "]";
      wheels.add(
          lockedFile(new TomlTable(wheelTables.get(i), r -> table.error(wheelLabel + ": " + r))));
    }
    int directSources = 0;
    for (String kind : List.of("vcs", "directory", "archive")) {
      if (table.table(kind, kind).isPresent()) {
        directSources++;
      }
    }
    boolean distributions = sdist.isPresent() || !wheels.isEmpty();
    if (distributions && directSources > 0) {
      throw table.error("vcs, directory and archive cannot be combined with sdist or wheels");
    }
    if (!distributions && directSources != 1) {
      throw table.error(
          directSources == 0
              ? "needs sdist or wheels, or one of vcs, directory and archive"
              : "can have only one of vcs, directory and archive");
    }
    return new PyLock.LockedPackage(
        name, version, marker, index, sdist, List.copyOf(wheels), directSources > 0);
  }

  /** "package 'numpy'" when the name can be read, else "packages[2]" by position. */
  private static String packageLabel(JsonNode node, int index) {
    JsonNode name = node.get("name");
    return name != null && name.isTextual()
        ? "package " + PackagingException.quote(name.textValue())
        : "packages[" + index + "]";
  }

  private static String projectName(TomlTable table) {
    String raw = table.requiredString("name");
    try {
      return ProjectName.of(raw).value();
    } catch (InvalidNameException e) {
      throw table.error(e.getMessage());
    }
  }

  private static void version(String text, TomlTable table) {
    if (!Version.isValid(text)) {
      throw table.error("version " + PackagingException.quote(text) + " is not a PEP 440 version");
    }
  }

  private static Marker marker(String text, TomlTable table, String key) {
    try {
      return Marker.parse(text);
    } catch (RequirementSyntaxException e) {
      throw table.error(key + ": " + e.getMessage());
    }
  }

  private static void specifiers(String text, TomlTable table, String key) {
    try {
      SpecifierSet.parse(text);
    } catch (RequirementSyntaxException e) {
      throw table.error(key + ": " + e.getMessage());
    }
  }

  /** An sdist or wheel: url or path, name defaulting to their last segment, and hashes. */
  private static PyLock.LockedFile lockedFile(TomlTable file) {
    Optional<String> url = file.string("url");
    Optional<String> path = file.string("path");
    if (url.isEmpty() && path.isEmpty()) {
      throw file.error("url or path is required");
    }
    Optional<String> name = file.string("name");
    if (name.isEmpty()) {
      name =
          url.map(u -> lastSegment(urlPath(u, file))).or(() -> path.map(PyLockReader::lastSegment));
    }
    if (name.isEmpty() || name.get().isEmpty()) {
      throw file.error("name is required when the url or path does not end in a file name");
    }
    Optional<Long> size = file.nonNegativeInteger("size");
    return new PyLock.LockedFile(name.get(), url, path, size, hashes(file));
  }

  private static String urlPath(String url, TomlTable file) {
    try {
      String path = new URI(url).getRawPath();
      return path == null ? "" : path;
    } catch (URISyntaxException e) {
      throw file.error("url " + PackagingException.quote(url) + " is not a valid URL");
    }
  }

  /** The last segment of a URL path or a file path, which may use either separator. */
  private static String lastSegment(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  /** PEP 751 requires at least one hash per file; algorithm names and hex digests lowercased. */
  private static Map<String, String> hashes(TomlTable file) {
    TomlTable hashes =
        file.table("hashes", "hashes").orElseThrow(() -> file.error("hashes are required"));
    if (hashes.isEmpty()) {
      throw file.error("at least one hash is required");
    }
    Map<String, String> lowercased = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> hash : hashes.entries()) {
      if (!hash.getValue().isTextual()) {
        throw hashes.error(hash.getKey() + " must be a string");
      }
      lowercased.put(
          hash.getKey().toLowerCase(Locale.ROOT),
          hash.getValue().textValue().toLowerCase(Locale.ROOT));
    }
    return Collections.unmodifiableMap(lowercased);
  }

  private RequirementSyntaxException error(String reason) {
    return new RequirementSyntaxException(
        "invalid lock file " + PackagingException.quote(lockName) + ": " + reason);
  }
}
