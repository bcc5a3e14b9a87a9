package dev.wheelhouse.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.config.BuildRecipeConfig;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RecipesTest {
  private static final TargetEnvironment ARM64 =
      TargetEnvironment.of("linux/arm64", "3.11", Libc.defaultGlibc());

  private static BuildRecipeConfig pyrnnoise(Optional<String> image) {
    return new BuildRecipeConfig(
        "pyrnnoise",
        Optional.of("https://github.com/pengzhendong/pyrnnoise"),
        Optional.of("d67c309c98a3c8bc7f11bb92a0fcf08fb2005c3d"),
        Optional.empty(),
        Optional.empty(),
        List.of("linux/arm64"),
        List.of("3.11"),
        List.of("cmake", "build-essential"),
        Map.of("CMAKE_BUILD_PARALLEL_LEVEL", "2"),
        image,
        List.of("--no-build-isolation"));
  }

  private static BuilderOptions options(String... args) {
    BuilderOptions options = new BuilderOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void aRecipeBecomesAJobWithTheDefaultImageAndIndex() {
    BuildJob job = Recipes.job(pyrnnoise(Optional.empty()), ARM64, options());

    assertThat(job.recipe()).contains("pyrnnoise");
    assertThat(job.source())
        .isEqualTo(
            new BuildSource.Git(
                "https://github.com/pengzhendong/pyrnnoise",
                "d67c309c98a3c8bc7f11bb92a0fcf08fb2005c3d"));
    assertThat(job.image()).isEqualTo("localhost/wheelhouse-builder:py3.11-arm64");
    assertThat(job.index()).isEqualTo("local");
    assertThat(job.label()).isEqualTo("pyrnnoise linux/arm64 py3.11");
    assertThat(job.lockKey())
        .isEqualTo(
            "git+https://github.com/pengzhendong/pyrnnoise@d67c309c98a3c8bc7f11bb92a0fcf08fb2005c3d"
                + " linux/arm64 3.11");
  }

  @Test
  void commandLineOptionsAddToTheRecipeAndTheImageFlagWins() {
    BuildJob job =
        Recipes.job(
            pyrnnoise(Optional.of("registry.example.org/py:{python}-{arch}")),
            ARM64,
            options(
                "--system-package",
                "cmake",
                "--system-package",
                "libsndfile1-dev",
                "--build-env",
                "CMAKE_BUILD_PARALLEL_LEVEL=1",
                "--build-env",
                "EXTRA=x",
                "--pip-arg=--verbose",
                "--upload-index",
                "builds"));

    assertThat(job.image()).isEqualTo("registry.example.org/py:3.11-arm64");
    assertThat(job.systemPackages()).containsExactly("cmake", "build-essential", "libsndfile1-dev");
    assertThat(job.env())
        .containsExactly(Map.entry("CMAKE_BUILD_PARALLEL_LEVEL", "1"), Map.entry("EXTRA", "x"));
    assertThat(job.pipArgs()).containsExactly("--no-build-isolation", "--verbose");
    assertThat(job.index()).isEqualTo("builds");

    BuildJob overridden =
        Recipes.job(
            pyrnnoise(Optional.of("registry.example.org/py:{python}-{arch}")),
            ARM64,
            options("--image", "mine:{arch}"));
    assertThat(overridden.image()).isEqualTo("mine:arm64");
  }

  @Test
  void anSdistSourceIsNameAndVersion() {
    assertThat(Recipes.sdist("soxr==0.5.0")).isEqualTo(new BuildSource.Sdist("soxr", "0.5.0"));
    assertThat(Recipes.sdist(" soxr == 0.5.0 ")).isEqualTo(new BuildSource.Sdist("soxr", "0.5.0"));
    assertThatThrownBy(() -> Recipes.sdist("soxr>=0.5"))
        .isInstanceOf(CommandFailure.class)
        .hasMessageContaining("NAME==VERSION");
    assertThat(new BuildSource.Sdist("soxr", "0.5.0").shortName()).isEqualTo("soxr==0.5.0");
    assertThat(new BuildSource.Git("https://host/group/repo.git/", "0123456789abcdef").shortName())
        .isEqualTo("repo@0123456789ab");
  }
}
