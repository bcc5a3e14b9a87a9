package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Sha256Test {
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void digestsBytes() {
    assertThat(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
  }

  @Test
  void acceptsUppercaseAndLowerCasesIt() {
    Sha256 upper = Sha256.of(ABC.toUpperCase(java.util.Locale.ROOT));
    assertThat(upper.hex()).isEqualTo(ABC);
    assertThat(upper).isEqualTo(Sha256.of(ABC));
    assertThat(upper.toString()).isEqualTo(ABC);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", // 63
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adf", // 65
        "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        " a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "\uff10a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // full-width 0
      })
  void rejectsAnythingButHex(String hex) {
    assertThat(Sha256.isValid(hex)).isFalse();
    assertThatThrownBy(() -> Sha256.of(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a sha256");
  }

  @Test
  void rejectsNull() {
    assertThat(Sha256.isValid(null)).isFalse();
    assertThatThrownBy(() -> Sha256.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void rawBytesRoundTrip() {
    Sha256 sha = Sha256.of(ABC);
    assertThat(sha.bytes()).hasSize(32);
    assertThat(Sha256.fromBytes(sha.bytes())).isEqualTo(sha);
    assertThatThrownBy(() -> Sha256.fromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
