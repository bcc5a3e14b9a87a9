package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources and their precedence: embedded defaults, file, environment, overrides. */
class ConfigLoaderTest {
  private static final String HASH = Tokens.hash("admin-secret");

  @TempDir Path dir;

  private Path file(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static WheelhouseConfig load(Optional<Path> file, Map<String, String> env)
      throws ConfigException {
    return ConfigLoader.load(file, env, ConfigOverrides.none());
  }

  private static List<String> errorsOf(Optional<Path> file, Map<String, String> env) {
    return catchThrowableOfType(ConfigException.class, () -> load(file, env)).errors();
  }

  @Test
  void defaults() {
    WheelhouseConfig config = ConfigLoader.defaults();
    assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(config.data()).isEqualTo(Paths.get("./data"));
    assertThat(config.auth()).isEqualTo(AuthConfig.DEFAULT);
    assertThat(config.indexes())
        .containsExactly(
            IndexConfig.hosted("local"),
            IndexConfig.proxy("pypi", java.net.URI.create("https://pypi.org/simple/")),
            IndexConfig.group("all", List.of("local", "pypi")));
    assertThat(config.defaultIndex()).isEqualTo("all");
    assertThat(config.upload()).isEqualTo(new UploadConfig("local", DataSize.parse("4GiB")));
    assertThat(config.upload().targetIndex()).contains("local");
    assertThat(config.pages())
        .isEqualTo(new PagesConfig(Duration.ofSeconds(10), DataSize.parse("64MiB")));
    assertThat(config.offline()).isFalse();
    assertThat(config.apt()).isEqualTo(AptConfig.DEFAULT);
    assertThat(config.prune()).isEqualTo(PruneConfig.DEFAULT);
    assertThat(config.builds()).isEmpty();
  }

  @Test
  void noFileAndNoEnvironmentIsTheDefaults() throws ConfigException {
    assertThat(load(Optional.empty(), Map.of())).isEqualTo(ConfigLoader.defaults());
    assertThat(ConfigLoader.parse("", "empty.yaml")).isEqualTo(ConfigLoader.defaults());
    assertThat(ConfigLoader.parse("# nothing but a comment\n", "c.yaml"))
        .isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void aFileWithoutIndexesKeepsTheDefaultIndexes() throws ConfigException {
    WheelhouseConfig config =
        ConfigLoader.parse("listen: 0.0.0.0:9000\nupload: {max-size: 1GB}", "t");
    assertThat(config.listen()).isEqualTo(HostPort.parse("0.0.0.0:9000"));
    assertThat(config.indexes()).isEqualTo(ConfigLoader.defaults().indexes());
    assertThat(config.defaultIndex()).isEqualTo("all");
    assertThat(config.upload()).isEqualTo(new UploadConfig("local", DataSize.parse("1GB")));
  }

  @Test
  void aFileWithIndexesReplacesThemAndDerivesDefaultIndexAndUploadIndex() throws ConfigException {
    WheelhouseConfig config =
        ConfigLoader.parse(
            """
            indexes:
              - {name: pypi, type: proxy, url: "https://pypi.org/simple"}
              - {name: wheels, type: hosted}
              - {name: team, type: hosted}
              - {name: everything, type: group, members: [wheels, team, pypi]}
            """,
            "t");
    assertThat(config.indexes())
        .extracting(IndexConfig::name)
        .containsExactly("pypi", "wheels", "team", "everything");
    assertThat(config.defaultIndex()).isEqualTo("everything");
    assertThat(config.upload().index()).isEqualTo("wheels");
    // A trailing slash is added so that relative project URLs resolve below the index.
    assertThat(config.index("pypi").orElseThrow().url())
        .contains(URI.create("https://pypi.org/simple/"));
  }

  @Test
  void withoutAGroupTheFirstIndexIsTheDefaultAndWithoutHostedIndexUploadsHaveNoTarget()
      throws ConfigException {
    WheelhouseConfig config =
        ConfigLoader.parse("indexes: [{name: pypi, type: proxy, url: 'https://x.example/'}]", "t");
    assertThat(config.defaultIndex()).isEqualTo("pypi");
    assertThat(config.upload().index()).isEmpty();
    assertThat(config.upload().targetIndex()).isEmpty();
  }

  @Test
  void emptyValuesMeanTheDefault() throws ConfigException {
    WheelhouseConfig config = ConfigLoader.parse("listen:\nindexes:\nprune:\n", "t");
    assertThat(config).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void scalarsKeepTheTextAsWritten() throws ConfigException {
    // As numbers, 3.10 would become 3.1.
    WheelhouseConfig config =
        ConfigLoader.parse(
            "builds: [{name: x, path: /src, python: [3.10, 3.12], env: {N: 010, E: }}]", "t");
    BuildRecipeConfig build = config.build("x").orElseThrow();
    assertThat(build.python()).containsExactly("3.10", "3.12");
    assertThat(build.env()).containsExactly(Map.entry("N", "010"), Map.entry("E", ""));
    assertThat(build.platforms()).isEqualTo(BuildRecipeConfig.DEFAULT_PLATFORMS);
  }

  @Test
  void environmentBeatsTheFile() throws IOException, ConfigException {
    Path file =
        file(
            "w.yaml",
            """
            listen: 127.0.0.1:1111
            data: /from/file
            offline: false
            auth: {anonymous-read: true}
            upload: {max-size: 1GB}
            """);
    WheelhouseConfig config =
        load(
            Optional.of(file),
            Map.of(
                "WHEELHOUSE_LISTEN", "0.0.0.0:2222",
                "WHEELHOUSE_DATA", "/from/env",
                "WHEELHOUSE_DEFAULT_INDEX", "local",
                "WHEELHOUSE_OFFLINE", "true",
                "WHEELHOUSE_ANONYMOUS_READ", "false",
                "WHEELHOUSE_UPLOAD_MAX_SIZE", "2GiB",
                "WHEELHOUSE_ADMIN_TOKEN_HASH", HASH,
                "UNRELATED", "x"));
    assertThat(config.listen()).isEqualTo(HostPort.parse("0.0.0.0:2222"));
    assertThat(config.data()).isEqualTo(Paths.get("/from/env"));
    assertThat(config.defaultIndex()).isEqualTo("local");
    assertThat(config.offline()).isTrue();
    assertThat(config.auth().anonymousRead()).isFalse();
    assertThat(config.upload().maxSize()).isEqualTo(DataSize.parse("2GiB"));
    assertThat(config.auth().tokens())
        .containsExactly(new TokenConfig("env", HASH, Set.of(Role.UPLOAD, Role.ADMIN)));
    assertThat(config.auth().authenticate("admin-secret")).map(TokenConfig::name).contains("env");
  }

  @Test
  void theEnvironmentTokenIsAddedToTheFilesTokens() throws IOException, ConfigException {
    String ciHash = Tokens.hash("ci-secret");
    Path file = file("w.yaml", "auth: {tokens: [{name: ci, hash: '" + ciHash + "'}]}");
    WheelhouseConfig config = load(Optional.of(file), Map.of("WHEELHOUSE_ADMIN_TOKEN_HASH", HASH));
    assertThat(config.auth().tokens()).extracting(TokenConfig::name).containsExactly("ci", "env");
    assertThat(config.auth().authenticate("ci-secret").orElseThrow().roles())
        .containsExactly(Role.READ);
  }

  @Test
  void environmentValuesAreValidatedAndSaySoInTheError() {
    assertThat(
            errorsOf(
                Optional.empty(),
                Map.of(
                    "WHEELHOUSE_LISTEN", "nope",
                    "WHEELHOUSE_OFFLINE", "1",
                    "WHEELHOUSE_DEFAULT_INDEX", "ghost",
                    "WHEELHOUSE_ADMIN_TOKEN_HASH", "plain",
                    "WHEELHOUSE_UPLOAD_MAX_SIZE", "big")))
        .containsExactly(
            "listen (from WHEELHOUSE_LISTEN): expected HOST:PORT, got 'nope'",
            "auth.tokens[0].hash (from WHEELHOUSE_ADMIN_TOKEN_HASH): expected sha256:<64 hex>",
            "default-index (from WHEELHOUSE_DEFAULT_INDEX): unknown index 'ghost'",
            "upload.max-size (from WHEELHOUSE_UPLOAD_MAX_SIZE): expected a size like 4096, 10kB,"
                + " 512MiB or 1.5GB, got 'big'",
            "offline (from WHEELHOUSE_OFFLINE): expected true or false, got '1'");
  }

  @Test
  void emptyEnvironmentVariablesCountAsUnset() throws ConfigException {
    assertThat(load(Optional.empty(), Map.of("WHEELHOUSE_LISTEN", "", "WHEELHOUSE_CONFIG", "")))
        .isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void overridesBeatTheEnvironmentAndTheFile() throws IOException, ConfigException {
    Path file = file("w.yaml", "listen: 127.0.0.1:1111\ndata: /from/file\n");
    WheelhouseConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of("WHEELHOUSE_LISTEN", "127.0.0.1:2222", "WHEELHOUSE_DATA", "/from/env"),
            new ConfigOverrides(Optional.of("[::1]:0"), Optional.of("relative/data")));
    assertThat(config.listen()).isEqualTo(new HostPort("::1", 0));
    assertThat(config.data()).isEqualTo(Paths.get("relative/data"));
  }

  @Test
  void badOverridesAreReportedAsComingFromTheCommandLine() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(),
                    new ConfigOverrides(Optional.of("localhost"), Optional.empty())));
    assertThat(e.errors())
        .containsExactly("listen (from the command line): expected HOST:PORT, got 'localhost'");
  }

  @Test
  void wheelhouseConfigSelectsTheFile() throws IOException, ConfigException {
    Path file = file("selected.yaml", "listen: 127.0.0.1:3333\n");
    WheelhouseConfig config = load(Optional.empty(), Map.of("WHEELHOUSE_CONFIG", file.toString()));
    assertThat(config.listen().port()).isEqualTo(3333);
  }

  @Test
  void anExplicitFileBeatsWheelhouseConfig() throws IOException, ConfigException {
    Path chosen = file("chosen.yaml", "listen: 127.0.0.1:4444\n");
    Path ignored = file("ignored.yaml", "listen: 127.0.0.1:5555\n");
    WheelhouseConfig config =
        load(Optional.of(chosen), Map.of("WHEELHOUSE_CONFIG", ignored.toString()));
    assertThat(config.listen().port()).isEqualTo(4444);
  }

  @Test
  void aMissingFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("missing.yaml");
    assertThat(errorsOf(Optional.of(missing), Map.of()))
        .containsExactly(missing + ": cannot read: no such file");
    assertThat(errorsOf(Optional.empty(), Map.of("WHEELHOUSE_CONFIG", missing.toString())))
        .containsExactly(missing + ": cannot read: no such file");
  }

  @Test
  void aFileThatIsNotUtf8IsAnErrorNamingIt() throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9});
    assertThat(errorsOf(Optional.of(file), Map.of()))
        .containsExactly(file + ": cannot read: not UTF-8 text");
  }

  @Test
  void aYamlSyntaxErrorNamesTheFileAndLine() throws IOException {
    Path file = file("broken.yaml", "listen: 127.0.0.1:8080\nindexes:\n  - name: [unclosed\n");
    assertThat(errorsOf(Optional.of(file), Map.of()))
        .singleElement()
        .asString()
        .startsWith(file + ": line 4, column 1: ");
  }

  @Test
  void passwordsStayOutOfToString() throws ConfigException {
    WheelhouseConfig config =
        ConfigLoader.parse(
            "indexes: [{name: v, type: proxy, url: 'https://v.example/simple/', username: me,"
                + " password: hunter2}]",
            "t");
    IndexConfig index = config.index("v").orElseThrow();
    assertThat(index.password()).contains("hunter2");
    assertThat(index.toString()).doesNotContain("hunter2").contains("username=Optional[me]");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void withersReplaceOneValue() {
    WheelhouseConfig config = ConfigLoader.defaults();
    assertThat(config.withListen(new HostPort("127.0.0.1", 0)).listen().port()).isZero();
    assertThat(config.withData(dir).data()).isEqualTo(dir);
    assertThat(config.withData(dir).indexes()).isEqualTo(config.indexes());
  }
}
