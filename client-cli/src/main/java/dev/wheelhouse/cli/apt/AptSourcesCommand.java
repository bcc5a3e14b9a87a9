package dev.wheelhouse.cli.apt;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.config.AptMirrorConfig;
import dev.wheelhouse.config.ConfigException;
import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.ConfigOverrides;
import dev.wheelhouse.config.Durations;
import dev.wheelhouse.config.WheelhouseConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse apt-sources}: prints apt sources that fetch through the server's apt mirrors,
 * or, with {@code --from-host}, turns this host's apt sources into mirrors for the server config
 * and the same sources through the server.
 */
@Command(
    name = "apt-sources",
    description = {
      "Print apt sources that fetch through the server's apt mirrors (apt.mirrors of its config).",
      "With --from-host: read this host's apt sources and print the apt.mirrors config they need,"
          + " then the same sources through the server."
    },
    footer = {
      "",
      "Examples:",
      "  wheelhouse apt-sources --url http://wheelhouse:8080 --config wheelhouse.yaml \\",
      "      --suite bookworm --suite bookworm-updates \\",
      "      --suite debian-security=bookworm-security \\",
      "      --signed-by /usr/share/keyrings/debian-archive-keyring.gpg \\",
      "      > /etc/apt/sources.list.d/wheelhouse.sources",
      "  wheelhouse apt-sources --from-host --url http://wheelhouse:8080 \\",
      "      --write-sources wheelhouse.sources > wheelhouse-apt.yaml"
    })
public final class AptSourcesCommand implements Callable<Integer> {
  static final String URL_ENV = "WHEELHOUSE_URL";
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final Path DEFAULT_APT_DIR = Paths.get("/etc/apt");
  static final Path DEFAULT_OS_RELEASE = Paths.get("/etc/os-release");

  private final Invocation invocation;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Server URL as apt clients reach it (default: $"
              + URL_ENV
              + ", else "
              + DEFAULT_URL
              + ").")
  private String url;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Server config with the apt mirrors (default: $WHEELHOUSE_CONFIG); optional with"
              + " --from-host, where mirrors it has keep their names.")
  private Path config;

  @Option(
      names = "--mirror",
      paramLabel = "NAME",
      description = "Only this mirror; repeatable, in this order (default: every configured one).")
  private List<String> mirrors = new ArrayList<>();

  @Option(
      names = "--suite",
      paramLabel = "[MIRROR=]SUITE",
      description =
          "Suite, repeatable; with MIRROR= for that mirror only (default: VERSION_CODENAME from"
              + " the os-release file, CODENAME-security for mirrors named *-security).")
  private List<String> suites = new ArrayList<>();

  @Option(
      names = "--component",
      paramLabel = "[MIRROR=]COMPONENT",
      description = "Component, repeatable; with MIRROR= for that mirror only (default: main).")
  private List<String> components = new ArrayList<>();

  @Option(
      names = "--signed-by",
      paramLabel = "KEYRING",
      description =
          "Keyring file (or key fingerprint) the repositories must be signed with (Signed-By).")
  private String signedBy;

  @Option(
      names = "--trusted",
      description = "Mark the sources trusted (Trusted: yes): apt then skips signature checks.")
  private boolean trusted;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "deb822",
      description = "deb822 (a .sources file; the default) or list (one-line, a .list file).")
  private String format;

  @Option(
      names = "--from-host",
      description =
          "Import this host's apt sources (sources.list, sources.list.d/*.list and *.sources):"
              + " print the apt section of the server config they need, then the same sources"
              + " through the server. Only http and https repositories are taken.")
  private boolean fromHost;

  @Option(
      names = "--apt-dir",
      paramLabel = "DIR",
      description = "With --from-host: the apt directory to read (default: /etc/apt).")
  private Path aptDir;

  @Option(
      names = "--os-release",
      paramLabel = "FILE",
      description = "os-release file naming the default suite (default: /etc/os-release).")
  private Path osRelease;

  @Option(
      names = "--write-sources",
      paramLabel = "FILE",
      description = "Write the sources to FILE (replacing it) instead of stdout.")
  private Path writeSources;

  @Mixin private JsonOption json;

  public AptSourcesCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  /**
   * What {@code --json} prints.
   *
   * @param server the server URL the sources point at
   * @param mirrors the mirrors of the sources (with --from-host: the whole apt section to
   *     configure)
   * @param sources the sources through the server
   * @param skipped with --from-host, host source URIs left out; else empty
   */
  @JsonPropertyOrder({"server", "mirrors", "sources", "skipped"})
  record Result(
      String server,
      List<AptMirror> mirrors,
      List<SourceEntry> sources,
      List<SkippedSource> skipped) {}

  @Override
  public Integer call() {
    String server = serverUrl();
    boolean list =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "deb822" -> false;
          case "list" -> true;
          default ->
              throw CommandFailure.usage(
                  "invalid --format '" + format + "': expected deb822 or list");
        };
    if (fromHost) {
      rejectWithFromHost();
    } else if (aptDir != null) {
      throw CommandFailure.usage("--apt-dir only applies with --from-host");
    }
    Optional<WheelhouseConfig> loaded = loadConfig();
    if (loaded.isEmpty()) {
      return ExitCode.USAGE;
    }
    List<AptMirrorConfig> configured = loaded.get().apt().mirrors();
    return fromHost ? importHost(server, configured, list) : print(server, configured, list);
  }

  private int print(String server, List<AptMirrorConfig> configured, boolean list) {
    if (configured.isEmpty()) {
      throw CommandFailure.failed(
          "no apt mirrors configured"
              + configSource().map(file -> " in " + file).orElse("")
              + ": add apt.mirrors to the server config"
              + (configSource().isEmpty() ? " and pass it with --config FILE" : "")
              + ", or run with --from-host to derive mirrors from this host's apt sources");
    }
    List<AptMirrorConfig> selected = select(configured);
    Map<String, List<String>> suitesByMirror = perMirror(suites, "--suite", configured);
    Map<String, List<String>> componentsByMirror = perMirror(components, "--component", configured);
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (signedBy != null) {
      if (signedBy.isBlank()) {
        throw CommandFailure.usage("--signed-by needs a keyring file or key fingerprint");
      }
      options.put("signed-by", List.of(signedBy.strip()));
    }
    if (trusted) {
      options.put("trusted", List.of("yes"));
    }
    List<SourceEntry> entries = new ArrayList<>();
    List<AptMirror> shown = new ArrayList<>();
    for (AptMirrorConfig mirror : selected) {
      List<String> mirrorSuites = suitesFor(mirror.name(), suitesByMirror);
      List<String> mirrorComponents =
          componentsFor(mirror.name(), mirrorSuites, componentsByMirror);
      String uri = ServerSources.aptUri(server, mirror.name());
      entries.add(
          new SourceEntry(
              List.of("deb"), List.of(uri), mirrorSuites, mirrorComponents, options, null));
      shown.add(mirror(mirror.name(), mirror.url(), mirror.ttl(), server, true));
    }
    String text = render(entries, list);
    if (json.enabled()) {
      writeSourcesFile(text);
      JsonOption.print(invocation.out(), new Result(server, shown, entries, List.of()));
    } else if (!writeSourcesFile(text)) {
      invocation.out().print(text);
    }
    invocation.out().flush();
    return ExitCode.OK;
  }

  private int importHost(String server, List<AptMirrorConfig> configured, boolean list) {
    PrintStream err = invocation.err();
    Path dir = aptDir == null ? DEFAULT_APT_DIR : aptDir;
    List<SourceEntry> host = HostSources.read(dir, note -> err.println("note: " + note));
    if (host.isEmpty()) {
      throw CommandFailure.failed(
          "no apt sources found in "
              + dir
              + " (sources.list, sources.list.d/*.list, sources.list.d/*.sources)");
    }
    MirrorNames names = new MirrorNames(configured);
    ServerSources.Rewritten rewritten = ServerSources.rewrite(host, server, names);
    for (SkippedSource skip : rewritten.skipped()) {
      err.println(
          "note: skipped " + skip.origin() + ": " + skip.uri() + " (" + skip.reason() + ")");
    }
    if (rewritten.sources().isEmpty()) {
      throw CommandFailure.failed(
          "none of the apt sources in "
              + dir
              + " is an http or https repository: nothing to mirror");
    }
    List<AptMirror> all = new ArrayList<>();
    for (AptMirrorConfig mirror : configured) {
      all.add(mirror(mirror.name(), mirror.url(), mirror.ttl(), server, true));
    }
    names
        .added()
        .forEach(
            (name, root) ->
                all.add(mirror(name, root, AptMirrorConfig.DEFAULT_TTL, server, false)));
    List<SourceEntry> entries =
        list ? rewritten.sources() : Deb822Sources.compact(rewritten.sources());
    String text = render(entries, list);
    String yaml = MirrorsYaml.format(all);

    PrintStream out = invocation.out();
    if (json.enabled()) {
      writeSourcesFile(text);
      JsonOption.print(out, new Result(server, all, entries, rewritten.skipped()));
    } else if (writeSourcesFile(text)) {
      out.print(yaml);
    } else {
      out.println("# apt section of the wheelhouse server config");
      out.print(yaml);
      out.println();
      out.println("# apt sources through wheelhouse, in place of those in " + dir);
      out.print(text);
    }
    out.flush();
    if (!names.added().isEmpty()) {
      err.println(
          "note: new mirrors, not yet in the server config: "
              + String.join(", ", names.added().keySet()));
    }
    return ExitCode.OK;
  }

  private void rejectWithFromHost() {
    List<String> given = new ArrayList<>();
    if (!mirrors.isEmpty()) {
      given.add("--mirror");
    }
    if (!suites.isEmpty()) {
      given.add("--suite");
    }
    if (!components.isEmpty()) {
      given.add("--component");
    }
    if (signedBy != null) {
      given.add("--signed-by");
    }
    if (trusted) {
      given.add("--trusted");
    }
    if (osRelease != null) {
      given.add("--os-release");
    }
    if (!given.isEmpty()) {
      throw CommandFailure.usage(
          String.join(", ", given)
              + (given.size() == 1 ? " does" : " do")
              + " not apply with --from-host: the host's sources give them");
    }
  }

  /** The config, or empty after printing why it is invalid. */
  private Optional<WheelhouseConfig> loadConfig() {
    try {
      return Optional.of(
          ConfigLoader.load(Optional.ofNullable(config), invocation.env(), ConfigOverrides.none()));
    } catch (ConfigException e) {
      PrintStream err = invocation.err();
      err.println("invalid configuration:");
      for (String error : e.errors()) {
        err.println("  " + error);
      }
      return Optional.empty();
    }
  }

  /** The config file read: --config, else $WHEELHOUSE_CONFIG, else none. */
  private Optional<String> configSource() {
    if (config != null) {
      return Optional.of(config.toString());
    }
    String variable = invocation.env().get("WHEELHOUSE_CONFIG");
    return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable);
  }

  private List<AptMirrorConfig> select(List<AptMirrorConfig> configured) {
    if (mirrors.isEmpty()) {
      return configured;
    }
    List<AptMirrorConfig> selected = new ArrayList<>();
    for (String name : mirrors) {
      AptMirrorConfig mirror =
          configured.stream()
              .filter(m -> m.name().equals(name))
              .findFirst()
              .orElseThrow(() -> unknownMirror("--mirror", name, configured));
      if (!selected.contains(mirror)) {
        selected.add(mirror);
      }
    }
    return selected;
  }

  /** {@code [MIRROR=]VALUE} options by mirror name, the key "" holding those for every mirror. */
  private static Map<String, List<String>> perMirror(
      List<String> values, String option, List<AptMirrorConfig> configured) {
    Map<String, List<String>> byMirror = new LinkedHashMap<>();
    for (String raw : values) {
      int equals = raw.indexOf('=');
      String name = equals < 0 ? "" : raw.substring(0, equals).strip();
      String value = raw.substring(equals + 1).strip();
      if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
        throw CommandFailure.usage("invalid " + option + " '" + raw + "'");
      }
      if (!name.isEmpty() && configured.stream().noneMatch(m -> m.name().equals(name))) {
        throw unknownMirror(option + " " + raw, name, configured);
      }
      List<String> list = byMirror.computeIfAbsent(name, n -> new ArrayList<>());
      if (!list.contains(value)) {
        list.add(value);
      }
    }
    return byMirror;
  }

  private List<String> suitesFor(String mirror, Map<String, List<String>> byMirror) {
    List<String> given = byMirror.getOrDefault(mirror, byMirror.get(""));
    if (given != null) {
      return given;
    }
    String codename = defaultCodename();
    return List.of(mirror.endsWith("-security") ? codename + "-security" : codename);
  }

  private static List<String> componentsFor(
      String mirror, List<String> suites, Map<String, List<String>> byMirror) {
    List<String> given = byMirror.getOrDefault(mirror, byMirror.get(""));
    boolean exact = suites.stream().anyMatch(SourceEntry::exactPath);
    if (exact && !suites.stream().allMatch(SourceEntry::exactPath)) {
      throw CommandFailure.usage(
          "mirror "
              + mirror
              + ": suites ending in / (exact paths) cannot be mixed with others: "
              + String.join(" ", suites));
    }
    if (exact) {
      if (given != null && byMirror.containsKey(mirror)) {
        throw CommandFailure.usage(
            "mirror " + mirror + ": suites ending in / (exact paths) take no components");
      }
      return List.of();
    }
    return given == null ? List.of("main") : given;
  }

  private String defaultCodename() {
    Path file = osRelease == null ? DEFAULT_OS_RELEASE : osRelease;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String reason =
          e instanceof NoSuchFileException
              ? "no such file"
              : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
      throw CommandFailure.usage(
          "no --suite given, and cannot read " + file + " for the default: " + reason);
    }
    return OsRelease.codename(text)
        .orElseThrow(
            () ->
                CommandFailure.usage(
                    "no --suite given, and " + file + " has no VERSION_CODENAME: pass --suite"));
  }

  private static CommandFailure unknownMirror(
      String where, String name, List<AptMirrorConfig> configured) {
    return CommandFailure.usage(
        "unknown apt mirror '"
            + name
            + "' in "
            + where
            + " (configured: "
            + configured.stream().map(AptMirrorConfig::name).collect(Collectors.joining(", "))
            + ")");
  }

  private static AptMirror mirror(
      String name, URI upstream, Duration ttl, String server, boolean configured) {
    return new AptMirror(
        name,
        upstream.toString(),
        Durations.format(ttl),
        ServerSources.aptUri(server, name) + "/",
        configured);
  }

  private static String render(List<SourceEntry> entries, boolean list) {
    if (!list) {
      return Deb822Sources.format(entries);
    }
    try {
      return OneLineSources.format(entries);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage() + ": use --format deb822");
    }
  }

  /** Writes the sources to --write-sources, if given; returns whether it was. */
  private boolean writeSourcesFile(String text) {
    if (writeSources == null) {
      return false;
    }
    try {
      Files.writeString(writeSources, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String reason =
          e instanceof NoSuchFileException
              ? "no such directory"
              : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
      throw CommandFailure.failed("cannot write " + writeSources + ": " + reason, e);
    }
    invocation.err().println("wrote " + writeSources);
    return true;
  }

  /** The server's base URL without a trailing slash, from --url, $WHEELHOUSE_URL or the default. */
  private String serverUrl() {
    String raw = url;
    if (raw == null || raw.isBlank()) {
      raw = invocation.env().get(URL_ENV);
    }
    if (raw == null || raw.isBlank()) {
      raw = DEFAULT_URL;
    }
    raw = raw.strip();
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw CommandFailure.usage("invalid server URL '" + raw + "': " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw CommandFailure.usage(
          "invalid server URL '" + raw + "': expected http://HOST[:PORT] or https://HOST[:PORT]");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme + "://" + uri.getRawAuthority() + path;
  }
}
