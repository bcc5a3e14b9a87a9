package dev.wheelhouse.server.misses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.packaging.tags.Arch;
import dev.wheelhouse.packaging.tags.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The platform in pip's and uv's User-Agent, and everything that is not one. */
class PipUserAgentTest {
  static final String PIP_ARM64 =
      "pip/24.0 {\"ci\":null,\"cpu\":\"aarch64\",\"distro\":{\"id\":\"bookworm\",\"libc\":"
          + "{\"lib\":\"glibc\",\"version\":\"2.36\"},\"name\":\"Debian GNU/Linux\",\"version\":"
          + "\"12\"},\"implementation\":{\"name\":\"CPython\",\"version\":\"3.12.1\"},\"installer\":"
          + "{\"name\":\"pip\",\"version\":\"24.0\"},\"openssl_version\":\"OpenSSL 3.0.11 19 Sep"
          + " 2023\",\"python\":\"3.12.1\",\"setuptools_version\":\"68.1.2\",\"system\":"
          + "{\"name\":\"Linux\",\"release\":\"6.1.0-18-arm64\"}}";
  static final String PIP_AMD64 = PIP_ARM64.replace("\"aarch64\"", "\"x86_64\"");
  static final String UV_MUSL =
      "uv/0.4.18 {\"installer\":{\"name\":\"uv\",\"version\":\"0.4.18\"},\"python\":\"3.11.10\","
          + "\"implementation\":{\"name\":\"CPython\",\"version\":\"3.11.10\"},\"distro\":{\"name\":"
          + "\"Alpine Linux\",\"version\":\"3.20.3\",\"id\":null,\"libc\":{\"lib\":\"musl\","
          + "\"version\":\"1.2.5\"}},\"system\":{\"name\":\"Linux\",\"release\":\"6.6.12\"},\"cpu\":"
          + "\"x86_64\",\"openssl_version\":null,\"setuptools_version\":null,\"rustc_version\":null,"
          + "\"ci\":null}";
  static final String PIP_WINDOWS =
      "pip/24.0 {\"ci\":null,\"cpu\":\"AMD64\",\"implementation\":{\"name\":\"CPython\","
          + "\"version\":\"3.12.1\"},\"installer\":{\"name\":\"pip\",\"version\":\"24.0\"},"
          + "\"python\":\"3.12.1\",\"system\":{\"name\":\"Windows\",\"release\":\"10\"}}";
  static final String PIP_MACOS =
      "pip/24.0 {\"ci\":null,\"cpu\":\"arm64\",\"distro\":{\"name\":\"macOS\",\"version\":"
          + "\"14.2\"},\"implementation\":{\"name\":\"CPython\",\"version\":\"3.12.1\"},"
          + "\"installer\":{\"name\":\"pip\",\"version\":\"24.0\"},\"python\":\"3.12.1\","
          + "\"system\":{\"name\":\"Darwin\",\"release\":\"23.2.0\"}}";

  @Test
  void pipOnGlibc() {
    assertThat(PipUserAgent.parse(PIP_ARM64))
        .contains(new ClientPlatform(Arch.AARCH64, "3.12", new Libc(Libc.Kind.GLIBC, 2, 36)));
    ClientPlatform amd64 = PipUserAgent.parse(PIP_AMD64).orElseThrow();
    assertThat(amd64.platform()).isEqualTo("linux/amd64");
    assertThat(amd64.libcLabel()).isEqualTo("glibc 2.36");
  }

  @Test
  void uvOnMusl() {
    ClientPlatform client = PipUserAgent.parse(UV_MUSL).orElseThrow();
    assertThat(client)
        .isEqualTo(new ClientPlatform(Arch.X86_64, "3.11", new Libc(Libc.Kind.MUSL, 1, 2)));
    assertThat(client.libcLabel()).isEqualTo("musl 1.2");
  }

  @Test
  void pipOnAlpineSaysNoLibcButAlpineMeansMusl() {
    String alpine =
        PIP_ARM64.replace(
            "\"distro\":{\"id\":\"bookworm\",\"libc\":{\"lib\":\"glibc\",\"version\":\"2.36\"},"
                + "\"name\":\"Debian GNU/Linux\",\"version\":\"12\"}",
            "\"distro\":{\"name\":\"Alpine Linux\",\"version\":\"3.19.1\"}");
    assertThat(PipUserAgent.parse(alpine).orElseThrow().libc())
        .isEqualTo(new Libc(Libc.Kind.MUSL, 1, 2));
    assertThat(PipUserAgent.parse(alpine.replace("3.19.1", "3.12.0")).orElseThrow().libc())
        .isEqualTo(new Libc(Libc.Kind.MUSL, 1, 1));
  }

  @Test
  void otherSystemsInterpretersAndClientsAreNoPlatform() {
    assertThat(PipUserAgent.parse(PIP_WINDOWS)).isEmpty();
    assertThat(PipUserAgent.parse(PIP_MACOS)).isEmpty();
    assertThat(PipUserAgent.parse(PIP_ARM64.replace("\"name\":\"CPython\"", "\"name\":\"PyPy\"")))
        .isEmpty();
    assertThat(PipUserAgent.parse(PIP_ARM64.replace("\"aarch64\"", "\"riscv64\""))).isEmpty();
    assertThat(PipUserAgent.parse(PIP_ARM64.replace("\"lib\":\"glibc\"", "\"lib\":\"newlib\"")))
        .isEmpty();
    assertThat(PipUserAgent.parse(PIP_ARM64.replace("\"version\":\"2.36\"", "\"version\":\"1.0\"")))
        .as("no manylinux tag for glibc 1.0")
        .isEmpty();
    assertThat(PipUserAgent.parse(null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "pip/24.0",
        "pip/24.0 {not json",
        "pip/24.0 [1,2]",
        "pip/24.0 {\"python\":\"3.12.1\"}",
        "Mozilla/5.0 (X11; Linux aarch64) pip/24.0 {}",
        "pip/24.0 {\"cpu\":\"aarch64\",\"python\":\"three\",\"system\":{\"name\":\"Linux\"},"
            + "\"implementation\":{\"name\":\"CPython\"}}"
      })
  void unreadableAgentsAreNoPlatform(String userAgent) {
    assertThat(PipUserAgent.parse(userAgent)).isEmpty();
  }
}
