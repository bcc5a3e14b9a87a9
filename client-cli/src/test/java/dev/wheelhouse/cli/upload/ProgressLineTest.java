package dev.wheelhouse.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @Test
  void drawsPercentBytesAndRateOnOneLineThenErasesIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressLine line = ProgressLine.of(err, true, "big-1.0-py3-none-any.whl", 4_000_000);

    LongConsumer uploading = line.phase("uploading");
    uploading.accept(1_000_000);
    uploading.accept(4_000_000);
    line.clear();

    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn)
        .startsWith("\rbig-1.0-py3-none-any.whl uploading  25%  1.0 MB / 4.0 MB  ")
        .contains("\rbig-1.0-py3-none-any.whl uploading 100%  4.0 MB / 4.0 MB  ")
        .contains("/s")
        .doesNotContain("\n")
        .endsWith("\r");
  }

  @Test
  void hiddenLineDrawsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressLine line = ProgressLine.of(err, false, "big-1.0-py3-none-any.whl", 4_000_000);

    line.phase("hashing").accept(4_000_000);
    line.clear();

    assertThat(bytes.size()).isZero();
  }
}
