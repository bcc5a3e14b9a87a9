package dev.wheelhouse.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small formatters behind the admin commands' output. */
class AdminFormatTest {

  @Test
  void tableAlignsColumnsAndRightAlignsNumbers() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      new Table("NAME", ">N", "NOTE").row("a", "100", "").row("longer", "2", "x").print(out);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("NAME      N  NOTE\na       100\nlonger    2  x\n");
  }

  @Test
  void tookIsMillisSecondsOrMinutes() {
    assertThat(Human.took(0)).isEqualTo("0 ms");
    assertThat(Human.took(999)).isEqualTo("999 ms");
    assertThat(Human.took(1000)).isEqualTo("1.0 s");
    assertThat(Human.took(59_949)).isEqualTo("59.9 s");
    assertThat(Human.took(3_723_000)).isEqualTo("1h2m3s");
  }

  @Test
  void timesAreShownInUtcToTheMinute() {
    assertThat(Human.time("2026-11-20T10:00:59Z")).isEqualTo("2026-11-20 10:00 UTC");
    assertThat(Human.time("2026-11-20T10:00:00-02:30")).isEqualTo("2026-11-20 12:30 UTC");
    assertThat(Human.time(null)).isEqualTo("-");
    assertThat(Human.time("yesterday")).isEqualTo("yesterday");
  }

  @Test
  void countsArePlural() {
    assertThat(Human.count(1, "file")).isEqualTo("1 file");
    assertThat(Human.count(0, "file")).isEqualTo("0 files");
    assertThat(Human.count(2, "entry", "entries")).isEqualTo("2 entries");
  }

  @Test
  void progressLineShowsPercentOrJustTheCount() {
    assertThat(AdminProgress.line("prune", "scan", 123, 456))
        .isEqualTo("prune: scan 123 / 456 (26%)");
    assertThat(AdminProgress.line("prune", "select", 7, -1)).isEqualTo("prune: select 7");
    assertThat(AdminProgress.line("gc", "scan", 0, 0)).isEqualTo("gc: scan 0 / 0 (100%)");
  }

  @Test
  void hiddenProgressPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      AdminProgress progress = AdminProgress.of(err, false, "prune");
      progress.progress("scan", 1, 2);
      progress.clear();
    }
    assertThat(bytes.size()).isZero();
  }
}
