package dev.wheelhouse.server.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.config.AptConfig;
import dev.wheelhouse.config.AptMirrorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AptMirrorsTest {
  private final AptMirrors mirrors =
      new AptMirrors(
          new AptConfig(
              List.of(
                  mirror("debian", "http://mirror.example.org/debian"),
                  mirror("security", "http://mirror.example.org/debian-security/"),
                  mirror("local", "http://127.0.0.1:8081/repo/"),
                  mirror("root", "http://apt.example.net/"))));

  @ParameterizedTest
  @CsvSource({
    "http, mirror.example.org, /debian/dists/stable/InRelease, debian, dists/stable/InRelease",
    "http, MIRROR.example.org:80, /debian/pool/main/h/h.deb, debian, pool/main/h/h.deb",
    "http, mirror.example.org, /debian-security/dists/x/Release, security, dists/x/Release",
    "http, 127.0.0.1:8081, /repo/pool/a%2Bb.deb, local, pool/a%2Bb.deb",
    "http, apt.example.net, /dists/stable/InRelease, root, dists/stable/InRelease",
  })
  void urlsOfConfiguredMirrorsMapToTheirEntries(
      String scheme, String authority, String path, String mirror, String below) {
    assertThat(mirrors.resolve(scheme, authority, path))
        .isInstanceOfSatisfying(
            AptMirrors.Resolution.Mapped.class,
            mapped -> {
              assertThat(mapped.mirror().name()).isEqualTo(mirror);
              assertThat(mapped.rawPath()).isEqualTo(below);
            });
  }

  @ParameterizedTest
  @CsvSource({
    "http, evil.example.com, /debian/dists/stable/InRelease, is not the host of a configured",
    "http, mirror.example.org:8080, /debian/dists/stable/InRelease, is not the host",
    "https, mirror.example.org, /debian/dists/stable/InRelease, is not the host",
    "http, mirror.example.org, /ubuntu/dists/noble/InRelease, is outside the configured",
    "http, mirror.example.org, /debian/, is outside the configured",
    "http, 127.0.0.1:8082, /repo/x, is not the host",
  })
  void everythingElseIsRefusedWithAReason(
      String scheme, String authority, String path, String reason) {
    assertThat(mirrors.resolve(scheme, authority, path))
        .isInstanceOfSatisfying(
            AptMirrors.Resolution.Refused.class,
            refused -> assertThat(refused.reason()).contains(reason));
  }

  @Test
  void theRefusalNamesWhatIsConfigured() {
    AptMirrors.Resolution refused = mirrors.resolve("http", "other.example", "/x");
    assertThat(((AptMirrors.Resolution.Refused) refused).reason())
        .contains("debian (http://mirror.example.org/debian/)");
  }

  private static AptMirrorConfig mirror(String name, String url) {
    return new AptMirrorConfig(name, URI.create(url), Duration.ofMinutes(5));
  }
}
