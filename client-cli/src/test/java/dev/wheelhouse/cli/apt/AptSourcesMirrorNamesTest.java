package dev.wheelhouse.cli.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.config.AptMirrorConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Names of new apt mirrors, from their URLs. */
class AptSourcesMirrorNamesTest {

  static Stream<Arguments> named() {
    return Stream.of(
        Arguments.of(List.of("http://mirror.example.org/debian"), List.of("debian")),
        Arguments.of(
            List.of(
                "http://mirror.example.org/debian", "http://security.example.org/debian-security"),
            List.of("debian", "debian-security")),
        Arguments.of(
            List.of(
                "http://mirror.example.org/debian/",
                "http://MIRROR.example.org/debian",
                "https://mirror.example.org/debian"),
            List.of("debian", "debian", "debian-mirror")),
        Arguments.of(
            List.of(
                "http://archive.example.org/ubuntu",
                "http://security.example.org/ubuntu",
                "http://ports.example.org/ubuntu",
                "http://ports.example.com/ubuntu"),
            List.of("ubuntu", "ubuntu-security", "ubuntu-ports", "ubuntu-2")),
        Arguments.of(
            List.of("https://deb.example.org/node_20.x", "https://Packages.Example.org/"),
            List.of("node_20.x", "packages.example.org")),
        Arguments.of(
            List.of("https://repo.example.org/~Team/Apt%20Repo/", "https://repo.example.org/_x_/"),
            List.of("apt-20repo", "x")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void namesComeFromTheUrl(List<String> urls, List<String> expected) {
    MirrorNames names = new MirrorNames(List.of());

    List<String> actual =
        urls.stream()
            .map(url -> names.nameFor(MirrorNames.root(URI.create(url)).orElseThrow()))
            .toList();

    assertThat(actual).isEqualTo(expected);
    assertThat(actual).allMatch(name -> name.matches("[a-z0-9][a-z0-9._-]*"));
  }

  @Test
  void configuredMirrorsKeepTheirNamesAndReserveThem() {
    MirrorNames names =
        new MirrorNames(
            List.of(
                new AptMirrorConfig(
                    "main-archive",
                    URI.create("http://Mirror.example.org/debian/"),
                    AptMirrorConfig.DEFAULT_TTL),
                new AptMirrorConfig(
                    "debian",
                    URI.create("http://old.example.org/debian/"),
                    AptMirrorConfig.DEFAULT_TTL)));

    assertThat(names.nameFor(root("http://mirror.example.org/debian"))).isEqualTo("main-archive");
    assertThat(names.nameFor(root("http://new.example.org/debian"))).isEqualTo("debian-new");
    assertThat(names.added())
        .isEqualTo(Map.of("debian-new", URI.create("http://new.example.org/debian/")));
  }

  @Test
  void onlyHttpAndHttpsHaveARoot() {
    assertThat(MirrorNames.root(URI.create("file:/srv/repo"))).isEmpty();
    assertThat(MirrorNames.root(URI.create("mirror+http://mirror.example.org/list"))).isEmpty();
    assertThat(MirrorNames.root(URI.create("HTTPS://Mirror.Example.org:8443/debian")))
        .contains(URI.create("https://mirror.example.org:8443/debian/"));
  }

  private static URI root(String url) {
    return MirrorNames.root(URI.create(url)).orElseThrow();
  }
}
