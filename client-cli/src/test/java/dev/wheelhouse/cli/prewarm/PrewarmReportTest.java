package dev.wheelhouse.cli.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.prewarm.Coverage.Cell;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The human table, the totals line, the JSON document and the progress bar, without a server. */
class PrewarmReportTest {
  private static final List<TargetEnvironment> TARGETS =
      List.of(
          TargetEnvironment.of("linux/amd64", "3.12", Libc.defaultGlibc()),
          TargetEnvironment.of("linux/arm64", "3.11", Libc.parse(Libc.Kind.MUSL, "1_2")));

  private static Cell cell(CellStatus status, String file, String reason) {
    return new Cell(
        status,
        Optional.ofNullable(file),
        Optional.ofNullable(file).map(f -> "1.0"),
        Optional.ofNullable(file).filter(f -> f.endsWith(".whl")).map(f -> "ab".repeat(32)),
        Optional.ofNullable(reason));
  }

  private static Coverage coverage() {
    return new Coverage(
        TARGETS,
        List.of(
            new Coverage.Row(
                "numpy",
                Optional.of("1.0"),
                "numpy==1.0",
                "requirements.txt:3",
                List.of(
                    cell(
                        CellStatus.CACHED, "numpy-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", null),
                    cell(
                        CellStatus.BUILT,
                        "numpy-1.0-cp311-cp311-musllinux_1_2_aarch64.whl",
                        null))),
            new Coverage.Row(
                "oldthing",
                Optional.empty(),
                "oldthing>=1",
                "requirements.txt:4",
                List.of(
                    cell(CellStatus.SDIST_ONLY, "oldthing-1.0.tar.gz", "no wheel for cp312"),
                    cell(CellStatus.SKIPPED, null, "marker"))),
            new Coverage.Row(
                "gone",
                Optional.of("2.0"),
                "gone==2.0",
                "requirements.txt:5",
                List.of(
                    cell(CellStatus.MISSING, null, "not on the index"),
                    cell(CellStatus.FETCHED, "gone-2.0-py3-none-any.whl", null)))),
        List.of("oldthing"),
        Duration.ofMillis(4230));
  }

  @Test
  void tableTotalsDetailsAndPinHint() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      CoverageTable.print(out, coverage());
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "REQUIREMENT  linux/amd64 cp312 manylinux_2_36  linux/arm64 cp311 musllinux_1_2\n"
                + "numpy==1.0   cached                            built\n"
                + "oldthing>=1  sdist-only                        skipped (marker)\n"
                + "gone==2.0    missing                           fetched\n"
                + "\n"
                + "1 cached, 1 fetched, 1 built, 1 sdist-only, 1 missing, 1 skipped in 4.2 s\n"
                + "\n"
                + "REQUIREMENT  TARGET                            STATUS      REASON\n"
                + "oldthing>=1  linux/amd64 cp312 manylinux_2_36  sdist-only  no wheel for cp312\n"
                + "gone==2.0    linux/amd64 cp312 manylinux_2_36  missing     not on the index\n"
                + "\n"
                + "not pinned: oldthing; pin them (pip-compile --generate-hashes, uv pip compile,"
                + " or pip freeze) so every build installs the same files\n");
  }

  @Test
  void totalsLeaveOutSdistOnlyAndSkippedWhenThereAreNone() {
    Coverage complete =
        new Coverage(
            TARGETS.subList(0, 1),
            List.of(
                new Coverage.Row(
                    "a",
                    Optional.of("1"),
                    "a==1",
                    "r.txt:1",
                    List.of(cell(CellStatus.FETCHED, "a-1-py3-none-any.whl", null)))),
            List.of(),
            Duration.ofMillis(50));

    assertThat(CoverageTable.totals(complete))
        .isEqualTo("0 cached, 1 fetched, 0 built, 0 missing in 0.1 s");
    assertThat(complete.gaps()).isZero();
    assertThat(PrewarmCommand.failureLine(complete, false, false)).isEmpty();
  }

  @Test
  void jsonDocumentHasEveryCellByTargetLabel() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      JsonOption.print(out, CoverageJson.document(coverage()));
    }

    JsonNode json = new ObjectMapper().readTree(bytes.toByteArray());
    assertThat(json.get("targets").toString())
        .isEqualTo("[\"linux/amd64 cp312 manylinux_2_36\",\"linux/arm64 cp311 musllinux_1_2\"]");
    JsonNode numpy = json.get("requirements").get(0);
    assertThat(numpy.get("name").asText()).isEqualTo("numpy");
    assertThat(numpy.get("version").asText()).isEqualTo("1.0");
    assertThat(numpy.get("source").asText()).isEqualTo("requirements.txt:3");
    JsonNode built = numpy.get("cells").get("linux/arm64 cp311 musllinux_1_2");
    assertThat(built.get("status").asText()).isEqualTo("built");
    assertThat(built.get("file").asText())
        .isEqualTo("numpy-1.0-cp311-cp311-musllinux_1_2_aarch64.whl");
    assertThat(built.get("sha256").asText()).isEqualTo("ab".repeat(32));
    assertThat(built.get("reason").isNull()).isTrue();
    JsonNode old = json.get("requirements").get(1);
    assertThat(old.get("version").isNull()).isTrue();
    assertThat(old.get("cells").get("linux/amd64 cp312 manylinux_2_36").get("status").asText())
        .isEqualTo("sdist-only");
    assertThat(json.get("totals").toString())
        .isEqualTo(
            "{\"cached\":1,\"fetched\":1,\"built\":1,\"sdist-only\":1,\"missing\":1,"
                + "\"skipped\":1,\"files\":5,\"seconds\":4.23}");
    assertThat(json.get("unpinned").toString()).isEqualTo("[\"oldthing\"]");
  }

  @Test
  void failureLineCountsGapsAmongFilesAndHintsAtBuilds() {
    assertThat(PrewarmCommand.failureLine(coverage(), false, false))
        .contains(
            "wheelhouse prewarm: 2 of 5 files missing"
                + " (use --allow-missing to accept, --build-missing to build sdist-only ones)");
    assertThat(PrewarmCommand.failureLine(coverage(), false, true))
        .contains("wheelhouse prewarm: 2 of 5 files missing (use --allow-missing to accept)");
    assertThat(PrewarmCommand.failureLine(coverage(), true, false)).isEmpty();
  }

  @Test
  void progressBarIsDrawnInPlaceAndErased() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      PrewarmProgress progress = PrewarmProgress.bar(err, 60);
      progress.expect(2);
      progress.step("numpy");
      progress.step("numpy-1.0-cp312-cp312-manylinux_2_17_x86_64.whl");
      progress.close();
      progress.close();
    }

    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn).startsWith("\rprewarm").endsWith("\r" + " ".repeat(60) + "\r");
    assertThat(drawn).doesNotContain("\n");
    for (String frame : drawn.split("\r", -1)) {
      assertThat(frame.length()).isLessThanOrEqualTo(60);
    }
    // Closed twice, erased once.
    assertThat(drawn.indexOf(" ".repeat(60))).isEqualTo(drawn.lastIndexOf(" ".repeat(60)));
  }

  @Test
  void progressOffDrawsNothing() {
    PrewarmProgress progress = PrewarmProgress.off();
    progress.expect(3);
    progress.step("x");
    progress.close();
  }
}
