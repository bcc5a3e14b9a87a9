package dev.wheelhouse.server.testing.apt;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code /usr/bin/apt-get} against a throwaway configuration in a directory, never
 * touching the machine's apt state nor reading its configuration.
 *
 * <p>{@code APT_CONFIG} points at {@code <dir>/etc/apt/apt.conf}, which apt reads first; it sets
 * {@code Dir::Etc::Main} to {@code /dev/null} and {@code Dir::Etc::Parts} to an empty {@code
 * <dir>/etc/apt/apt.conf.d}, so neither {@code /etc/apt/apt.conf} nor {@code /etc/apt/apt.conf.d/*}
 * is read; sources, preferences, trusted keys and auth files are all under {@code <dir>/etc/apt};
 * lists under {@code <dir>/state/lists}, an empty dpkg status file at {@code <dir>/state/status},
 * downloaded packages under {@code <dir>/cache/archives}, logs under {@code <dir>/log}. Locking is
 * off ({@code Debug::NoLocking}), the download methods run as root ({@code APT::Sandbox::User
 * "root"}, no {@code _apt} permission warnings), no translations, architecture amd64 only, no
 * retries, no Valid-Until check. The child gets no {@code *_proxy} variables: set a proxy with
 * {@link #proxy(URI)}.
 *
 * <p>Settings apply to the next run; the configuration files are rewritten before each run, so they
 * can be inspected in between ({@link #configFile()}).
 */
public final class AptGet {
  /** The apt-get binary. */
  public static final Path APT_GET = Path.of("/usr/bin/apt-get");

  /** The default {@link #runTimeout(Duration)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final Path dir;
  private final List<String> sources = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();
  private Duration timeout = DEFAULT_TIMEOUT;

  private AptGet(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** An apt-get whose whole state lives in {@code dir} (created if missing). */
  public static AptGet in(Path dir) {
    AptGet apt = new AptGet(dir);
    apt.writeConfig();
    return apt;
  }

  /**
   * Why apt-get cannot be run here (not installed, not Linux, ...), or empty when it can. Running
   * as root is not required: with locking off and every directory in the temp dir, apt-get works as
   * any user (the methods then simply do not drop privileges).
   */
  public static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("apt-get tests need Linux");
    }
    if (!Files.isExecutable(APT_GET)) {
      return Optional.of(APT_GET + " is not installed");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-config"))) {
      return Optional.of("/usr/bin/apt-config is not installed");
    }
    if (!Files.isDirectory(Path.of("/usr/lib/apt/methods"))) {
      return Optional.of("/usr/lib/apt/methods is missing");
    }
    return Optional.empty();
  }

  /** The directory holding all of this apt-get's state. */
  public Path dir() {
    return dir;
  }

  /** The apt.conf that {@code APT_CONFIG} points at. */
  public Path configFile() {
    return dir.resolve("etc/apt/apt.conf");
  }

  /** The sources.list. */
  public Path sourcesList() {
    return dir.resolve("etc/apt/sources.list");
  }

  /** Where downloaded lists go ({@code Dir::State::Lists}). */
  public Path listsDir() {
    return dir.resolve("state/lists");
  }

  /** Where downloaded packages go ({@code Dir::Cache::Archives}). */
  public Path archivesDir() {
    return dir.resolve("cache/archives");
  }

  /**
   * Adds sources.list lines, e.g. {@code "deb [trusted=yes] http://127.0.0.1:8080/ stable main"};
   * {@code lines} may hold several lines.
   */
  public synchronized AptGet source(String lines) {
    for (String line : lines.split("\n", -1)) {
      if (!line.isBlank()) {
        sources.add(line.strip());
      }
    }
    return this;
  }

  /** Forgets the sources added so far. */
  public synchronized AptGet clearSources() {
    sources.clear();
    return this;
  }

  /** Sets {@code Acquire::http::Proxy} (e.g. {@code http://127.0.0.1:PORT/}). */
  public AptGet proxy(URI proxy) {
    return option("Acquire::http::Proxy", proxy.toString());
  }

  /**
   * Sets any apt option in the apt.conf, e.g. {@code option("Debug::Acquire::http", "true")} (the
   * HTTP method then prints every request and response header to the output) or {@code
   * option("Acquire::http::Pipeline-Depth", "0")}. A later value for the same key wins; a null
   * value removes it.
   */
  public synchronized AptGet option(String key, String value) {
    if (!key.matches("[A-Za-z0-9:_.-]+")) {
      throw new IllegalArgumentException("bad option name: " + key);
    }
    if (value == null) {
      options.remove(key);
      return this;
    }
    if (value.contains("\"") || value.contains("\n")) {
      throw new IllegalArgumentException(
          "apt.conf values cannot hold quotes or newlines: " + value);
    }
    options.put(key, value);
    return this;
  }

  /** How long a run may take before apt-get (and its methods) are killed; 5 minutes by default. */
  public synchronized AptGet runTimeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** {@code apt-get update}. */
  public Result update() {
    return run("update");
  }

  /**
   * {@code apt-get install -y --download-only --no-install-recommends <packages>}: resolves and
   * downloads into {@link #archivesDir()}, installs nothing.
   */
  public Result installDownloadOnly(String... packages) {
    List<String> args =
        new ArrayList<>(List.of("install", "-y", "--download-only", "--no-install-recommends"));
    args.addAll(List.of(packages));
    return run(args.toArray(String[]::new));
  }

  /** {@code apt-get <args>} with this configuration. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(APT_GET.toString());
    command.addAll(List.of(args));
    return exec(command);
  }

  /** {@code apt-config dump}, with the same environment as apt-get: the configuration in effect. */
  public Result configDump() {
    return exec(List.of("/usr/bin/apt-config", "dump"));
  }

  /**
   * The environment apt-get runs with: this JVM's, without any {@code *_proxy} variable (any case),
   * with {@code APT_CONFIG} set, {@code LC_ALL=C} and {@code DEBIAN_FRONTEND=noninteractive}.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    env.keySet().removeIf(k -> k.startsWith("APT_") || k.startsWith("LC_") || k.equals("LANG"));
    env.remove("LANGUAGE");
    env.put("APT_CONFIG", configFile().toString());
    env.put("LC_ALL", "C");
    env.put("DEBIAN_FRONTEND", "noninteractive");
    return env;
  }

  /** The {@code .deb} files in {@link #archivesDir()} (not in partial/), sorted by name. */
  public List<Path> downloadedDebs() {
    try (Stream<Path> files = Files.list(archivesDir())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".deb") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the downloaded packages, complete and partial. */
  public void clearArchives() {
    deleteFilesIn(archivesDir());
    deleteFilesIn(archivesDir().resolve("partial"));
  }

  /** Deletes the downloaded lists, so that the next update fetches everything again. */
  public void clearLists() {
    deleteFilesIn(listsDir());
    deleteFilesIn(listsDir().resolve("partial"));
  }

  private static void deleteFilesIn(Path d) {
    try (Stream<Path> files = Files.list(d)) {
      for (Path p : files.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && !p.getFileName().toString().equals("lock")) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized Result exec(List<String> command) {
    writeConfig();
    Path output = dir.resolve("log/last-run.out");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(environment());
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(output.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process p = pb.start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        kill(p);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted running " + command, e);
      }
      if (!done) {
        kill(p);
        String out = Files.readString(output, StandardCharsets.UTF_8);
        return new Result(
            -1, out + "\n[killed after " + timeout + ": " + String.join(" ", command) + "]\n");
      }
      return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void writeConfig() {
    Path etc = dir.resolve("etc/apt");
    Path state = dir.resolve("state");
    Path cache = dir.resolve("cache");
    try {
      for (Path d :
          List.of(
              etc.resolve("apt.conf.d"),
              etc.resolve("sources.list.d"),
              etc.resolve("preferences.d"),
              etc.resolve("trusted.gpg.d"),
              etc.resolve("auth.conf.d"),
              listsDir().resolve("partial"),
              archivesDir().resolve("partial"),
              dir.resolve("log"))) {
        Files.createDirectories(d);
      }
      Path status = state.resolve("status");
      if (!Files.exists(status)) {
        Files.createFile(status);
      }
      StringBuilder list = new StringBuilder();
      for (String line : sources) {
        list.append(line).append('\n');
      }
      Files.writeString(sourcesList(), list.toString(), StandardCharsets.UTF_8);

      Map<String, String> conf = new LinkedHashMap<>();
      conf.put("Dir::Etc", etc.toString());
      conf.put("Dir::Etc::Main", "/dev/null");
      conf.put("Dir::Etc::Parts", etc.resolve("apt.conf.d").toString());
      conf.put("Dir::Etc::SourceList", sourcesList().toString());
      conf.put("Dir::Etc::SourceParts", etc.resolve("sources.list.d").toString());
      conf.put("Dir::Etc::Preferences", etc.resolve("preferences").toString());
      conf.put("Dir::Etc::PreferencesParts", etc.resolve("preferences.d").toString());
      conf.put("Dir::Etc::Trusted", etc.resolve("trusted.gpg").toString());
      conf.put("Dir::Etc::TrustedParts", etc.resolve("trusted.gpg.d").toString());
      conf.put("Dir::Etc::netrc", etc.resolve("auth.conf").toString());
      conf.put("Dir::Etc::netrcparts", etc.resolve("auth.conf.d").toString());
      conf.put("Dir::State", state.toString());
      conf.put("Dir::State::Lists", listsDir().toString());
      conf.put("Dir::State::status", status.toString());
      conf.put("Dir::Cache", cache.toString());
      conf.put("Dir::Cache::Archives", archivesDir().toString());
      conf.put("Dir::Log", dir.resolve("log").toString());
      conf.put("Debug::NoLocking", "true");
      conf.put("APT::Sandbox::User", "root");
      conf.put("APT::Architecture", "amd64");
      conf.put("Acquire::Retries", "0");
      conf.put("Acquire::Check-Valid-Until", "false");
      conf.put("APT::Get::Show-Versions", "true");
      conf.putAll(options);
      StringBuilder text =
          new StringBuilder("// Written by ").append(AptGet.class.getName()).append(".\n");
      for (Map.Entry<String, String> e : conf.entrySet()) {
        text.append(e.getKey()).append(" \"").append(e.getValue()).append("\";\n");
      }
      if (!options.containsKey("APT::Architectures")) {
        text.append("APT::Architectures { \"amd64\"; };\n");
      }
      if (!options.containsKey("Acquire::Languages")) {
        text.append("Acquire::Languages { \"none\"; };\n");
      }
      Files.writeString(configFile(), text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The outcome of one run.
   *
   * @param exitCode apt-get's exit code; -1 when it was killed after the run timeout
   * @param output stdout and stderr, interleaved as written
   */
  public record Result(int exitCode, String output) {
    /** Whether apt-get exited with 0. */
    public boolean succeeded() {
      return exitCode == 0;
    }

    /**
     * Whether apt-get exited with 0 and printed no warning or error ({@code W:} or {@code E:}
     * lines). Note that with {@code [trusted=yes]} apt still checks a signature the repository has,
     * and warns ({@code W: GPG error: ... NO_PUBKEY ...}) when it does not know the key.
     */
    public boolean clean() {
      return succeeded() && warnings().isEmpty();
    }

    /** The {@code W:} and {@code E:} lines of the output, in order. */
    public List<String> warnings() {
      List<String> lines = new ArrayList<>();
      for (String line : output.split("\n", -1)) {
        if (line.startsWith("W: ") || line.startsWith("E: ")) {
          lines.add(line);
        }
      }
      return lines;
    }

    /** Returns this when apt-get exited with 0, else throws an AssertionError with the output. */
    public Result assertSuccess() {
      if (!succeeded()) {
        throw new AssertionError("apt-get exited with " + exitCode + ":\n" + output);
      }
      return this;
    }

    /** Returns this when {@link #clean()}, else throws an AssertionError with the output. */
    public Result assertClean() {
      if (!clean()) {
        throw new AssertionError("apt-get exited with " + exitCode + " or warned:\n" + output);
      }
      return this;
    }
  }
}
