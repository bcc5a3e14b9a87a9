package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectPatternTest {
  @ParameterizedTest
  @CsvSource({
    "*, anything, true",
    "torch*, torch, true",
    "torch*, torchvision, true",
    "torch*, pytorch, false",
    "nvidia-*, nvidia-cublas-cu12, true",
    "nvidia-*, nvidia_cudnn_cu12, true",
    "Nvidia_*, nvidia-cublas-cu12, true",
    "nvidia-*, nvidia, false",
    "py?nnoise, pyrnnoise, true",
    "py?noise, pyrnnoise, false",
    "*-cu12, nvidia-nccl-cu12, true",
    "a*b*c, aXXbYYc, true",
    "a*b*c, aXXbYY, false",
    "zope.interface, Zope_Interface, true",
  })
  void matchesNormalizedNames(String glob, String project, boolean matches) {
    assertThat(new ProjectPattern(glob).matches(project)).isEqualTo(matches);
  }

  @Test
  void anyMatches() {
    assertThat(ProjectPattern.anyMatches(List.of("torch*", "numpy"), "NumPy")).isTrue();
    assertThat(ProjectPattern.anyMatches(List.of("torch*", "numpy"), "scipy")).isFalse();
    assertThat(ProjectPattern.anyMatches(List.of(), "scipy")).isFalse();
  }

  @Test
  void rejectsWhatCannotBeAProjectName() {
    for (String bad : List.of("", "a b", "torch/x", "[abc]")) {
      assertThatThrownBy(() -> new ProjectPattern(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected a project name pattern");
    }
  }
}
