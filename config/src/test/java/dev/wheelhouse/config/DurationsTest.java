package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "10m, PT10M",
    "1h, PT1H",
    "90d, PT2160H",
    "500ms, PT0.5S",
    "1h30m, PT1H30M",
    "1d2h3m4s5ms, PT26H3M4.005S",
    "0, PT0S",
    "0s, PT0S",
    "' 5m ', PT5M",
  })
  void parses(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''      | expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m, got ''",
        "10      | expected a duration like",
        "abc     | expected a duration like",
        "-5s     | expected a duration like",
        "1.5h    | expected a duration like",
        "10M     | expected a duration like",
        "1 h     | expected a duration like",
        "5y      | expected a duration like",
        "1h 30m  | expected a duration like",
        "30m1h   | largest to smallest",
        "1m1m    | largest to smallest",
        "999999999999999999d | too long",
      })
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({"PT0S, 0s", "PT30S, 30s", "PT1H30M, 1h30m", "PT2160H, 90d", "PT0.5S, 500ms"})
  void formatsSoThatParseReadsItBack(Duration duration, String written) {
    assertThat(Durations.format(duration)).isEqualTo(written);
    assertThat(Durations.parse(written)).isEqualTo(duration);
  }
}
