package dev.wheelhouse.packaging.tags;

import static dev.wheelhouse.packaging.tags.Selection.Outcome.HASH_MISMATCH;
import static dev.wheelhouse.packaging.tags.Selection.Outcome.NO_COMPATIBLE_FILE;
import static dev.wheelhouse.packaging.tags.Selection.Outcome.NO_MATCHING_VERSION;
import static dev.wheelhouse.packaging.tags.Selection.Outcome.SDIST_ONLY;
import static dev.wheelhouse.packaging.tags.Selection.Outcome.WHEEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.packaging.requirements.SpecifierSet;
import dev.wheelhouse.packaging.tags.Libc.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FileSelectorTest {
  private static final TargetEnvironment AMD64 =
      TargetEnvironment.of("linux/amd64", "3.12", Libc.defaultGlibc());
  private static final TargetEnvironment AMD64_GLIBC_2_12 =
      TargetEnvironment.of("linux/amd64", "3.12", new Libc(Kind.GLIBC, 2, 12));
  private static final TargetEnvironment ARM64_GLIBC_2_28 =
      TargetEnvironment.of("linux/arm64", "3.12", new Libc(Kind.GLIBC, 2, 28));
  private static final TargetEnvironment AMD64_MUSL =
      TargetEnvironment.of("linux/amd64", "3.12", new Libc(Kind.MUSL, 1, 2));

  private static final Pattern SPACE = Pattern.compile(" ");

  /**
   * One row of the table: the requirement, the target, the index page, and what pip would do. Files
   * are {@code filename [yanked] [python=SPEC] [sha256=HEX]}.
   */
  record Case(
      String name,
      TargetEnvironment target,
      String specifier,
      List<String> files,
      Set<String> allowedHashes,
      boolean pre,
      boolean onlyBinary,
      Selection.Outcome outcome,
      String chosen,
      String bestWheelVersion,
      int considered,
      String reason) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.<Expected>of(
            // manylinux2014 stands for glibc 2.17, which an arm64 glibc 2.28 target has
            row("manylinux2014 aarch64 wheel on arm64 glibc 2.28", ARM64_GLIBC_2_28, "")
                .files("foo-1.0-cp312-cp312-manylinux2014_aarch64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux2014_aarch64.whl", 1),
            // wheels for other machines and systems only: the reason lists their platforms
            row("aarch64 and Windows wheels on x86_64", AMD64, "")
                .files(
                    "foo-1.0-cp312-cp312-manylinux2014_aarch64.whl",
                    "foo-1.0-cp312-cp312-win_amd64.whl")
                .expect(NO_COMPATIBLE_FILE, null, 2)
                .reason("foo 1.0 has wheels only for: manylinux2014_aarch64, win_amd64"),
            // manylinux2014 needs glibc 2.17; manylinux2010 fits glibc 2.12
            row("manylinux2010 on glibc 2.12", AMD64_GLIBC_2_12, "")
                .files(
                    "foo-1.0-cp312-cp312-manylinux2014_x86_64.whl",
                    "foo-1.0-cp312-cp312-manylinux2010_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux2010_x86_64.whl", 2),
            // with a newer glibc the same page yields the newer manylinux wheel
            row("manylinux2014 on glibc 2.36", AMD64, "")
                .files(
                    "foo-1.0-cp312-cp312-manylinux2014_x86_64.whl",
                    "foo-1.0-cp312-cp312-manylinux2010_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux2014_x86_64.whl", 2),
            // a compressed platform set whose members both need glibc 2.17
            row("manylinux_2_17.manylinux2014 on glibc 2.12", AMD64_GLIBC_2_12, "")
                .files("numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
                .expect(NO_COMPATIBLE_FILE, null, 1)
                .reason(
                    "numpy 1.26.4 has wheels only for: manylinux2014_x86_64, manylinux_2_17_x86_64"),
            // the newest manylinux the target's glibc allows wins, as pip does for pyarrow
            row("manylinux_2_28 over manylinux_2_17", AMD64, "")
                .files(
                    "pyarrow-15.0.1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                    "pyarrow-15.0.1-cp312-cp312-manylinux_2_28_x86_64.whl")
                .expect(WHEEL, "pyarrow-15.0.1-cp312-cp312-manylinux_2_28_x86_64.whl", 2),
            // the stable ABI of Python 3.8 is loadable by 3.12
            row("cp38 abi3 wheel on cp312", AMD64, "")
                .files("foo-1.0-cp38-abi3-manylinux_2_17_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp38-abi3-manylinux_2_17_x86_64.whl", 1),
            // the interpreter's own ABI ranks above abi3, whatever the glibc
            row("cp312 ABI over abi3", AMD64, "")
                .files(
                    "foo-1.0-cp38-abi3-manylinux_2_28_x86_64.whl",
                    "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", 2),
            // another interpreter on the right platform: the reason gives full tags
            row("cp311 wheels on cp312", AMD64, "")
                .files("foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
                .expect(NO_COMPATIBLE_FILE, null, 1)
                .reason("foo 1.0 has wheels only for: cp311-cp311-manylinux_2_17_x86_64"),
            // a musl target takes the musllinux wheel ...
            row("musllinux on musl", AMD64_MUSL, "")
                .files(
                    "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "foo-1.0-cp312-cp312-musllinux_1_1_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-musllinux_1_1_x86_64.whl", 2),
            // ... and a glibc target the manylinux one
            row("manylinux on glibc", AMD64, "")
                .files(
                    "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "foo-1.0-cp312-cp312-musllinux_1_1_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", 2),
            // manylinux wheels do not fit musl, so pip builds the sdist
            row("manylinux only on musl", AMD64_MUSL, "")
                .files("foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "foo-1.0.tar.gz")
                .expect(SDIST_ONLY, "foo-1.0.tar.gz", 2)
                .reason(
                    "foo 1.0 has wheels only for: manylinux_2_17_x86_64; pip would build foo-1.0.tar.gz"),
            // compressed python tag sets expand to every member
            row("py2.py3 wheel", AMD64, "==1.16.0")
                .files("six-1.16.0-py2.py3-none-any.whl")
                .expect(WHEEL, "six-1.16.0-py2.py3-none-any.whl", 1)
                .reason("six 1.16.0: six-1.16.0-py2.py3-none-any.whl (tag py3-none-any)"),
            // ==2.1.0 ignores the local label of a candidate
            row("==2.1.0 matches 2.1.0+cu121", AMD64, "==2.1.0")
                .files("torch-2.1.0+cu121-cp312-cp312-linux_x86_64.whl")
                .expect(WHEEL, "torch-2.1.0+cu121-cp312-cp312-linux_x86_64.whl", 1),
            // local labels sort in the version: +cu121 > +cpu > none, before tag priority
            row("torch local builds", AMD64, "==2.1.0")
                .files(
                    "torch-2.1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "torch-2.1.0+cu121-cp312-cp312-linux_x86_64.whl",
                    "torch-2.1.0+cpu-cp312-cp312-linux_x86_64.whl")
                .expect(WHEEL, "torch-2.1.0+cu121-cp312-cp312-linux_x86_64.whl", 3),
            // a local pin matches that local build only
            row("==2.1.0+cpu", AMD64, "==2.1.0+cpu")
                .files(
                    "torch-2.1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "torch-2.1.0+cu121-cp312-cp312-linux_x86_64.whl",
                    "torch-2.1.0+cpu-cp312-cp312-linux_x86_64.whl")
                .expect(WHEEL, "torch-2.1.0+cpu-cp312-cp312-linux_x86_64.whl", 1),
            // nothing matches: the reason names the newest release
            row("no matching version", AMD64, "==9.9")
                .files(
                    "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "numpy-2.2.0rc1-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl")
                .expect(NO_MATCHING_VERSION, null, 0)
                .reason("no version matches ==9.9 (latest 2.1.0)"),
            // === compares the version as spelled in the file name
            row("=== is textual", AMD64, "===1.0.0")
                .files("foo-1.0.tar.gz", "foo-1.0.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0.0-py3-none-any.whl", 1),
            // build tags compare by their number, not as text
            row("build tag 10 over 9 over none", AMD64, "")
                .files(
                    "foo-1.0-py3-none-any.whl",
                    "foo-1.0-9-py3-none-any.whl",
                    "foo-1.0-10-py3-none-any.whl",
                    "foo-1.0-2-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-10-py3-none-any.whl", 4),
            // no build tag ranks below any build tag
            row("build tag 1 over none", AMD64, "")
                .files("foo-1.0-1-py3-none-any.whl", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-1-py3-none-any.whl", 2),
            // with equal numbers the rest of the build tag decides
            row("build tag 1b over 1a", AMD64, "")
                .files("foo-1.0-1b-py3-none-any.whl", "foo-1.0-1a-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-1b-py3-none-any.whl", 2),
            // tag priority decides before the build tag
            row("tag priority over build tag", AMD64, "")
                .files(
                    "foo-1.0-5-py3-none-any.whl", "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
                .expect(WHEEL, "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", 2),
            // yanked files are passed over when anything else matches
            row("yanked newest is skipped", AMD64, ">=1.0")
                .files("foo-2.0-py3-none-any.whl yanked", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // an exact pin installs a yanked file when it is all that matches
            row("pinned yanked", AMD64, "==2.0")
                .files("foo-2.0-py3-none-any.whl yanked", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-2.0-py3-none-any.whl", 1),
            // but not when an unyanked file of the pin fits: then pip builds that sdist
            row("pinned, wheel yanked, sdist not", AMD64, "==2.0")
                .files("foo-2.0-py3-none-any.whl yanked", "foo-2.0.tar.gz")
                .expect(SDIST_ONLY, "foo-2.0.tar.gz", 2)
                .reason("foo 2.0 has only yanked wheels that fit; pip would build foo-2.0.tar.gz"),
            // unpinned and only yanked files match: nothing to install
            row("only yanked matches, unpinned", AMD64, ">=2.0")
                .files("foo-2.0-py3-none-any.whl yanked", "foo-1.0-py3-none-any.whl")
                .expect(NO_MATCHING_VERSION, null, 1)
                .reason(
                    "every file matching >=2.0 is yanked (newest 2.0);"
                        + " only an exact == pin would install one"),
            // one exact clause pins, whatever else the set says
            row("==2.0,!=1.5 pins", AMD64, "==2.0,!=1.5")
                .files("foo-2.0-py3-none-any.whl yanked", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-2.0-py3-none-any.whl", 1),
            // a wildcard is no pin
            row("==2.* does not pin", AMD64, "==2.*")
                .files("foo-2.0-py3-none-any.whl yanked")
                .expect(NO_MATCHING_VERSION, null, 1),
            // requires-python excludes the newest release
            row("requires-python skips 2.0", AMD64, "")
                .files(
                    "foo-2.0-py3-none-any.whl python=>=3.13",
                    "foo-1.0-py3-none-any.whl python=>=3.8")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // requires-python compares the full Python version, 3.12.0 here
            row("requires-python >=3.12.1", AMD64, "")
                .files("foo-2.0-py3-none-any.whl python=>=3.12.1", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // no file fits the Python
            row("requires-python excludes everything", AMD64, "")
                .files("foo-2.0-py3-none-any.whl python=>=3.13", "foo-2.0.tar.gz python=>=3.13")
                .expect(NO_COMPATIBLE_FILE, null, 2)
                .reason("foo 2.0 requires Python >=3.13, target has 3.12.0"),
            // index metadata that is not printable is quoted, so the reason stays one line
            row("requires-python with a control character", AMD64, "")
                .files("foo-2.0-py3-none-any.whl python=>=3.13\t")
                .expect(NO_COMPATIBLE_FILE, null, 1)
                .reason("foo 2.0 requires Python '>=3.13\\u0009', target has 3.12.0"),
            // pip ignores a requires-python it cannot parse
            row("invalid requires-python is ignored", AMD64, "")
                .files("foo-1.0-py3-none-any.whl python=>=3.x")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 1),
            // pip ranks by version before wheel or sdist: a newer sdist beats an older wheel
            row("newer sdist over older wheel", AMD64, "")
                .files("foo-2.0.tar.gz", "foo-1.0-py3-none-any.whl")
                .expect(SDIST_ONLY, "foo-2.0.tar.gz", 2)
                .bestWheelVersion("1.0")
                .reason(
                    "foo 2.0 has no wheels; pip would build foo-2.0.tar.gz;"
                        + " newest version with a fitting wheel: 1.0"),
            // at the same version the wheel wins
            row("wheel over sdist of the same version", AMD64, "")
                .files("foo-1.0.tar.gz", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // binaries only: the older wheel, since sdists are out
            row("only binary takes the older wheel", AMD64, "")
                .files("foo-2.0.tar.gz", "foo-1.0-py3-none-any.whl")
                .onlyBinary()
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // binaries only and no wheel fits: an sdist exists, so building one would help
            row("only binary with no fitting wheel", AMD64, "")
                .files("foo-1.0.tar.gz", "foo-1.0-cp312-cp312-win_amd64.whl")
                .onlyBinary()
                .expect(SDIST_ONLY, null, 2)
                .reason(
                    "foo 1.0 has wheels only for: win_amd64; only its sdist foo-1.0.tar.gz fits,"
                        + " and binaries only were asked for"),
            // equally good files: the later one on the page, as pip's resolver takes it
            row("tie goes to the later file", AMD64, "")
                .files("foo-1.0.zip", "foo-1.0.tar.gz")
                .expect(SDIST_ONLY, "foo-1.0.tar.gz", 2),
            // hashes required and none fits: the reason names the file pip would have taken
            row("hash mismatch", AMD64, "==1.0")
                .files("foo-1.0-py3-none-any.whl sha256=bbbb", "foo-1.0.tar.gz")
                .hashes("sha256:aaaa")
                .expect(HASH_MISMATCH, null, 2)
                .reason(
                    "no fitting file has an allowed hash; pip would pick foo-1.0-py3-none-any.whl"
                        + " with sha256:bbbb"),
            // an allowed hash outranks a newer version
            row("allowed hash over newer version", AMD64, "")
                .files(
                    "foo-2.0-py3-none-any.whl sha256=bbbb", "foo-1.0-py3-none-any.whl sha256=aaaa")
                .hashes("sha256:aaaa")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 2),
            // hashes compare ignoring case
            row("hash case", AMD64, "")
                .files("foo-1.0-py3-none-any.whl sha256=AAAA")
                .hashes("SHA256:aaaa")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 1),
            // pre-releases are skipped while a final release matches
            row("final over pre-release", AMD64, "")
                .files("foo-2.0b1-py3-none-any.whl", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-1.0-py3-none-any.whl", 1),
            // --pre lets them in
            row("--pre", AMD64, "")
                .files("foo-2.0b1-py3-none-any.whl", "foo-1.0-py3-none-any.whl")
                .pre()
                .expect(WHEEL, "foo-2.0b1-py3-none-any.whl", 2),
            // so does a specifier naming a pre-release
            row(">=2.0b1 names a pre-release", AMD64, ">=2.0b1")
                .files("foo-2.0b1-py3-none-any.whl", "foo-1.0-py3-none-any.whl")
                .expect(WHEEL, "foo-2.0b1-py3-none-any.whl", 1),
            // only pre-releases: pip takes them
            row("only pre-releases", AMD64, "")
                .files("foo-2.0b1-py3-none-any.whl", "foo-2.0a1-py3-none-any.whl")
                .expect(WHEEL, "foo-2.0b1-py3-none-any.whl", 2),
            // pip decides among the files that fit: the final release is Windows-only here
            row("pre-release when no final release fits", AMD64, "")
                .files("foo-1.0-cp312-cp312-win_amd64.whl", "foo-2.0b1-py3-none-any.whl")
                .expect(WHEEL, "foo-2.0b1-py3-none-any.whl", 2),
            // .exe and .egg files are not candidates
            row("other file types are ignored", AMD64, "")
                .files("foo-1.0.win-amd64.exe", "foo-1.0-py3.8.egg", "foo-1.0.tar.gz")
                .expect(SDIST_ONLY, "foo-1.0.tar.gz", 1),
            // nothing but other file types
            row("no distribution files", AMD64, "")
                .files("foo-1.0.win-amd64.exe", "foo-1.0-py3.8.egg")
                .expect(NO_MATCHING_VERSION, null, 0)
                .reason("none of the 2 listed files is a wheel or sdist"),
            // an empty page
            row("no files", AMD64, ">=1").files().expect(NO_MATCHING_VERSION, null, 0))
        .map(Expected::toCase);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void selectsAsPip(Case c) {
    Selection selection =
        FileSelector.select(
            c.files().stream().map(FileSelectorTest::file).toList(),
            SpecifierSet.parse(c.specifier()),
            c.target(),
            c.allowedHashes(),
            c.pre(),
            c.onlyBinary());

    assertThat(selection.outcome()).as("outcome (%s)", selection.reason()).isEqualTo(c.outcome());
    assertThat(selection.best().map(CandidateFile::filename))
        .as("best")
        .isEqualTo(Optional.ofNullable(c.chosen()));
    assertThat(selection.bestWheelVersion())
        .as("bestWheelVersion")
        .isEqualTo(Optional.ofNullable(c.bestWheelVersion()));
    assertThat(selection.considered()).as("considered").isEqualTo(c.considered());
    if (c.reason() != null) {
      assertThat(selection.reason()).isEqualTo(c.reason());
    }
    assertThat(selection.reason()).as("printable one-line reason").matches("[ -~]+");
  }

  @Test
  void reasonsNameTheChosenWheelAndItsTag() {
    Selection selection =
        FileSelector.select(
            List.of(file("numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")),
            SpecifierSet.any(),
            AMD64,
            Set.of(),
            false,
            false);

    assertThat(selection.reason())
        .isEqualTo(
            "numpy 2.1.0: numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
                + " (tag cp312-cp312-manylinux_2_17_x86_64)");
  }

  /** Parses a table file: {@code filename [yanked] [python=SPEC] [ALGORITHM=HEX]...}. */
  private static CandidateFile file(String spec) {
    String[] parts = SPACE.split(spec, -1);
    boolean yanked = false;
    Optional<String> requiresPython = Optional.empty();
    Map<String, String> hashes = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (part.equals("yanked")) {
        yanked = true;
      } else if (part.startsWith("python=")) {
        requiresPython = Optional.of(part.substring(eq + 1));
      } else {
        hashes.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return new CandidateFile(
        parts[0], "https://files.example/" + parts[0], hashes, requiresPython, yanked);
  }

  private static CaseBuilder row(String name, TargetEnvironment target, String specifier) {
    return new CaseBuilder(name, target, specifier);
  }

  /** Keeps each table row on a few short lines. */
  private static final class CaseBuilder {
    private final String name;
    private final TargetEnvironment target;
    private final String specifier;
    private final List<String> files = new ArrayList<>();
    private Set<String> allowedHashes = Set.of();
    private boolean pre;
    private boolean onlyBinary;

    CaseBuilder(String name, TargetEnvironment target, String specifier) {
      this.name = name;
      this.target = target;
      this.specifier = specifier;
    }

    CaseBuilder files(String... specs) {
      files.addAll(List.of(specs));
      return this;
    }

    CaseBuilder hashes(String... allowed) {
      allowedHashes = Set.of(allowed);
      return this;
    }

    CaseBuilder pre() {
      pre = true;
      return this;
    }

    CaseBuilder onlyBinary() {
      onlyBinary = true;
      return this;
    }

    Expected expect(Selection.Outcome outcome, String chosen, int considered) {
      return new Expected(this, outcome, chosen, considered, null, null);
    }
  }

  /** A row's expectations; converts to a {@link Case} where the table needs one. */
  private record Expected(
      CaseBuilder row,
      Selection.Outcome outcome,
      String chosen,
      int considered,
      String bestWheelVersion,
      String reason) {

    Expected bestWheelVersion(String version) {
      return new Expected(row, outcome, chosen, considered, version, reason);
    }

    Expected reason(String text) {
      return new Expected(row, outcome, chosen, considered, bestWheelVersion, text);
    }

    Case toCase() {
      return new Case(
          row.name,
          row.target,
          row.specifier,
          List.copyOf(row.files),
          row.allowedHashes,
          row.pre,
          row.onlyBinary,
          outcome,
          chosen,
          bestWheelVersion,
          considered,
          reason);
    }
  }
}
