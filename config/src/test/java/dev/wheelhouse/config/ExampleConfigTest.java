package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, {@code wheelhouse.example.yaml}, parses, says what the code does,
 * and documents every key on its own line.
 */
class ExampleConfigTest {
  private static final Path EXAMPLE = Paths.get("wheelhouse.example.yaml");
  private static String text;
  private static WheelhouseConfig config;

  @BeforeAll
  static void load() throws IOException, ConfigException {
    text = Files.readString(EXAMPLE);
    config = ConfigLoader.load(Optional.of(EXAMPLE), Map.of(), ConfigOverrides.none());
  }

  @Test
  void topLevelKeysHoldTheirDefaults() {
    WheelhouseConfig defaults = ConfigLoader.defaults();
    assertThat(config.listen()).isEqualTo(defaults.listen());
    assertThat(config.data()).isEqualTo(defaults.data());
    assertThat(config.offline()).isEqualTo(defaults.offline());
    assertThat(config.pages()).isEqualTo(defaults.pages());
    assertThat(config.upload()).isEqualTo(defaults.upload());
    assertThat(config.defaultIndex()).isEqualTo(defaults.defaultIndex());
    assertThat(config.auth().anonymousRead()).isEqualTo(defaults.auth().anonymousRead());
  }

  @Test
  void tokens() {
    assertThat(config.auth().tokens())
        .containsExactly(
            new TokenConfig("ci", Tokens.hash("test"), Set.of(Role.UPLOAD, Role.ADMIN)));
  }

  @Test
  void proxyKeysHoldTheirDefaults() {
    IndexConfig pypi = config.index("pypi").orElseThrow();
    IndexConfig withDefaults = IndexConfig.proxy("pypi", URI.create("https://pypi.org/simple/"));
    assertThat(pypi).isEqualTo(withDefaults);
  }

  @Test
  void indexes() {
    assertThat(config.indexes())
        .extracting(IndexConfig::name, IndexConfig::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("local", IndexType.HOSTED),
            org.assertj.core.groups.Tuple.tuple("pypi", IndexType.PROXY),
            org.assertj.core.groups.Tuple.tuple("pytorch-cu121", IndexType.PROXY),
            org.assertj.core.groups.Tuple.tuple("vendor", IndexType.PROXY),
            org.assertj.core.groups.Tuple.tuple("all", IndexType.GROUP));
    assertThat(config.index("pytorch-cu121").orElseThrow().include())
        .containsExactly("torch*", "nvidia-*", "triton");
    IndexConfig vendor = config.index("vendor").orElseThrow();
    assertThat(vendor.username()).contains("wheelhouse");
    assertThat(vendor.password()).contains("change-me");
    IndexConfig all = config.index("all").orElseThrow();
    assertThat(all.members()).containsExactly("local", "pytorch-cu121", "pypi", "vendor");
    assertThat(all.routes().keySet()).containsExactly("torch*", "nvidia-*");
    assertThat(all.mergeAllowed()).isEmpty();
  }

  @Test
  void aptPruneAndBuilds() {
    assertThat(config.apt().mirror("debian").orElseThrow())
        .isEqualTo(
            new AptMirrorConfig(
                "debian", URI.create("http://mirror.example.org/debian/"), Duration.ofMinutes(5)));
    assertThat(config.prune())
        .isEqualTo(
            new PruneConfig(
                Optional.of(DataSize.parse("200GB")),
                Optional.of(Duration.ofDays(90)),
                Optional.of(DataSize.parse("20GB")),
                List.of("torch", "pyrnnoise"),
                List.of(),
                Optional.of(Duration.ofHours(6))));

    BuildRecipeConfig pyrnnoise = config.build("pyrnnoise").orElseThrow();
    assertThat(pyrnnoise.git()).contains("https://github.com/pengzhendong/pyrnnoise");
    assertThat(pyrnnoise.ref()).contains("d67c309c98a3c8bc7f11bb92a0fcf08fb2005c3d");
    assertThat(pyrnnoise.platforms()).isEqualTo(BuildRecipeConfig.DEFAULT_PLATFORMS);
    assertThat(pyrnnoise.python()).containsExactly("3.11");
    assertThat(pyrnnoise.systemPackages()).containsExactly("cmake", "build-essential");
    assertThat(pyrnnoise.env()).containsExactly(Map.entry("CMAKE_BUILD_PARALLEL_LEVEL", "2"));
    assertThat(pyrnnoise.image()).contains("localhost/wheelhouse-builder:py{python}-{arch}");
    assertThat(pyrnnoise.pipArgs()).isEmpty();

    BuildRecipeConfig sdist = config.build("librosa-extras").orElseThrow();
    assertThat(sdist.sdist()).contains("soxr==0.5.0");
    assertThat(sdist.git()).isEmpty();
    assertThat(sdist.platforms()).isEqualTo(BuildRecipeConfig.DEFAULT_PLATFORMS);

    BuildRecipeConfig path = config.build("inhouse").orElseThrow();
    assertThat(path.path()).contains("/srv/src/inhouse");
    assertThat(path.python()).containsExactly("3.11", "3.12");
    assertThat(path.image()).contains("python:{python}-bookworm");
    assertThat(path.pipArgs()).containsExactly("--no-build-isolation");
  }

  /** Every key the loader knows appears in the reference, followed by a comment on its line. */
  @Test
  void documentsEveryKeyWithAComment() {
    List<String> keys =
        List.of(
            "listen",
            "data",
            "offline",
            "auth",
            "anonymous-read",
            "tokens",
            "name",
            "hash",
            "roles",
            "indexes",
            "type",
            "url",
            "ttl",
            "include",
            "exclude",
            "connect-timeout",
            "read-timeout",
            "username",
            "password",
            "members",
            "routes",
            "merge-allowed",
            "default-index",
            "upload",
            "index",
            "max-size",
            "pages",
            "max-age",
            "cache-size",
            "apt",
            "mirrors",
            "prune",
            "keep",
            "builds",
            "git",
            "ref",
            "sdist",
            "path",
            "platforms",
            "python",
            "system-packages",
            "env",
            "image",
            "pip-args");
    for (String key : keys) {
      Matcher documented =
          Pattern.compile("(?m)^\\s*(- )?" + Pattern.quote(key) + ":.*#.*\\S").matcher(text);
      assertThat(documented.find()).as("key %s documented with a comment", key).isTrue();
    }
  }

  @Test
  void namesNoRealMirrorHost() {
    assertThat(text).doesNotContainPattern("deb\\.debian\\.org|ftp\\.[a-z]+\\.debian\\.org");
  }
}
