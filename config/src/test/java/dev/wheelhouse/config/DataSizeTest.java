package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataSizeTest {
  @ParameterizedTest
  @CsvSource({
    "200GB, 200000000000",
    "512MiB, 536870912",
    "1.5GB, 1500000000",
    "4096, 4096",
    "10kB, 10000",
    "10KB, 10000",
    "10k, 10000",
    "10KiB, 10240",
    "10kib, 10240",
    "10Ki, 10240",
    "4GiB, 4294967296",
    "1TB, 1000000000000",
    "1TiB, 1099511627776",
    "1PiB, 1125899906842624",
    "2 MB, 2000000",
    "0, 0",
    "0B, 0",
    "7b, 7",
    "0.5KiB, 512",
    "1.3GiB, 1395864371",
    "' 64MiB ', 67108864",
    "9223372036854775807, 9223372036854775807",
  })
  void parses(String text, long bytes) {
    assertThat(DataSize.parse(text)).isEqualTo(new DataSize(bytes));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''          | expected a size like",
        "GB          | expected a size like",
        "-1GB        | expected a size like",
        "1.5         | whole number",
        "1.5B        | whole number",
        "10 parsecs  | expected a size like",
        "1e9         | expected a size like",
        "10XB        | expected a size like",
        "1,000       | expected a size like",
        "9223372036854775808 | too large",
        "10000PB     | too large",
      })
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> DataSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0B",
    "1234, 1234B",
    "4096, 4KiB",
    "4294967296, 4GiB",
    "200000000000, 200GB",
    "1500000000, 1500MB",
  })
  void writesTheShortestExactForm(long bytes, String written) {
    assertThat(new DataSize(bytes).toString()).isEqualTo(written);
    assertThat(DataSize.parse(written).bytes()).isEqualTo(bytes);
  }

  @Test
  void isNeverNegativeAndOrdersBySize() {
    assertThatThrownBy(() -> new DataSize(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(DataSize.parse("1GB")).isLessThan(DataSize.parse("1GiB"));
  }
}
