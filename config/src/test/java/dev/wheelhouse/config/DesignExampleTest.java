package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration shape of DESIGN.md section 7 parses to the values it says. */
class DesignExampleTest {
  private static final String CI_HASH =
      "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void parsesTheDesignExample() throws ConfigException {
    WheelhouseConfig config =
        ConfigLoader.parse(TestResources.read("design-section7.yaml"), "design-section7.yaml");

    assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(config.data()).isEqualTo(Paths.get("./data"));
    assertThat(config.auth().anonymousRead()).isTrue();
    assertThat(config.auth().tokens())
        .containsExactly(new TokenConfig("ci", CI_HASH, Set.of(Role.UPLOAD, Role.ADMIN)));
    assertThat(config.auth().authenticate("test")).map(TokenConfig::name).contains("ci");

    assertThat(config.indexes())
        .extracting(IndexConfig::name)
        .containsExactly("local", "pypi", "pytorch-cu121", "all");
    IndexConfig local = config.index("local").orElseThrow();
    assertThat(local.type()).isEqualTo(IndexType.HOSTED);
    assertThat(local.url()).isEmpty();

    IndexConfig pypi = config.index("pypi").orElseThrow();
    assertThat(pypi.type()).isEqualTo(IndexType.PROXY);
    assertThat(pypi.url()).contains(URI.create("https://pypi.org/simple/"));
    assertThat(pypi.ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(pypi.include()).containsExactly("*");
    assertThat(pypi.exclude()).isEmpty();
    assertThat(pypi.username()).isEmpty();
    assertThat(pypi.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(pypi.readTimeout()).isEqualTo(Duration.ofSeconds(60));

    IndexConfig pytorch = config.index("pytorch-cu121").orElseThrow();
    assertThat(pytorch.type()).isEqualTo(IndexType.PROXY);
    assertThat(pytorch.url()).contains(URI.create("https://download.pytorch.org/whl/cu121/"));
    assertThat(pytorch.ttl()).isEqualTo(IndexConfig.DEFAULT_TTL);

    IndexConfig all = config.index("all").orElseThrow();
    assertThat(all.type()).isEqualTo(IndexType.GROUP);
    assertThat(all.members()).containsExactly("local", "pytorch-cu121", "pypi");
    assertThat(all.routes())
        .containsExactly(
            Map.entry("torch*", List.of("pytorch-cu121")),
            Map.entry("nvidia-*", List.of("pytorch-cu121")));
    assertThat(all.mergeAllowed()).isEmpty();

    assertThat(config.defaultIndex()).isEqualTo("all");
    assertThat(config.upload().index()).isEqualTo("local");
    assertThat(config.upload().maxSize()).isEqualTo(DataSize.parse("4GiB"));
    assertThat(config.pages()).isEqualTo(PagesConfig.DEFAULT);
    assertThat(config.offline()).isFalse();

    assertThat(config.apt().mirrors())
        .containsExactly(
            new AptMirrorConfig(
                "debian", URI.create("http://mirror.example.org/debian/"), Duration.ofMinutes(5)));

    assertThat(config.prune().maxSize()).contains(new DataSize(200_000_000_000L));
    assertThat(config.prune().maxAge()).contains(Duration.ofDays(90));
    assertThat(config.prune().keep()).containsExactly("torch", "pyrnnoise");

    assertThat(config.builds())
        .containsExactly(
            new BuildRecipeConfig(
                "pyrnnoise",
                Optional.of("https://github.com/pengzhendong/pyrnnoise"),
                Optional.of("d67c309c98a3c8bc7f11bb92a0fcf08fb2005c3d"),
                Optional.empty(),
                Optional.empty(),
                List.of("linux/amd64", "linux/arm64"),
                List.of("3.12"),
                List.of("cmake", "build-essential"),
                Map.of(),
                Optional.empty(),
                List.of()));
  }

  @Test
  void theVerbatimExampleFailsOnlyOnItsAbbreviatedHash() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    TestResources.read("design-section7-verbatim.yaml"), "design.yaml"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly("auth.tokens[0].hash: expected sha256:<64 hex>"));
  }
}
