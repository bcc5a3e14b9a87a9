package dev.wheelhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

  @Test
  void usesDecimalUnitsWithOneDecimal() {
    assertThat(ByteSize.format(0)).isEqualTo("0 B");
    assertThat(ByteSize.format(999)).isEqualTo("999 B");
    assertThat(ByteSize.format(1000)).isEqualTo("1.0 kB");
    assertThat(ByteSize.format(12_345)).isEqualTo("12.3 kB");
    assertThat(ByteSize.format(2_500_000_000L)).isEqualTo("2.5 GB");
  }

  @Test
  void roundsUpIntoTheNextUnitRatherThanPrinting1000() {
    assertThat(ByteSize.format(999_999)).isEqualTo("1.0 MB");
  }
}
