package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one prewarm achieved: for every requirement (row) and target (column), a {@link Cell}.
 *
 * @param targets the targets, in the order given
 * @param rows the requirements, in file order
 * @param unpinned names of requirements that pin no version, in first-seen order
 * @param elapsed how long the run took
 */
record Coverage(
    List<TargetEnvironment> targets, List<Row> rows, List<String> unpinned, Duration elapsed) {

  Coverage {
    targets = List.copyOf(targets);
    rows = List.copyOf(rows);
    unpinned = List.copyOf(unpinned);
  }

  /**
   * One requirement's results.
   *
   * @param name the project, normalized
   * @param version the version it pins (constraints included), if one
   * @param requested how the row is labelled: {@code name==version}, or name and specifiers
   * @param source where it was asked for ({@code file:line} or the lock file)
   * @param cells one per target, in the order of {@link Coverage#targets()}
   */
  record Row(
      String name, Optional<String> version, String requested, String source, List<Cell> cells) {
    Row {
      cells = List.copyOf(cells);
    }
  }

  /**
   * One requirement on one target.
   *
   * @param status what happened
   * @param file the wheel (or, for sdist-only, the sdist) concerned, if any
   * @param version the version of that file
   * @param sha256 the sha256 of the downloaded wheel
   * @param reason why it is missing, sdist-only or skipped
   */
  record Cell(
      CellStatus status,
      Optional<String> file,
      Optional<String> version,
      Optional<String> sha256,
      Optional<String> reason) {

    static Cell skipped(String reason) {
      return new Cell(
          CellStatus.SKIPPED,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(reason));
    }

    static Cell missing(String reason) {
      return new Cell(
          CellStatus.MISSING,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(reason));
    }
  }

  /** How many cells have each status (every status present, zeros included). */
  Map<CellStatus, Integer> totals() {
    Map<CellStatus, Integer> totals = new EnumMap<>(CellStatus.class);
    for (CellStatus status : CellStatus.values()) {
      totals.put(status, 0);
    }
    for (Row row : rows) {
      for (Cell cell : row.cells()) {
        totals.merge(cell.status(), 1, Integer::sum);
      }
    }
    return totals;
  }

  /** Cells that are not skipped: the files this run was about. */
  int files() {
    return rows.stream()
        .mapToInt(
            row -> (int) row.cells().stream().filter(c -> c.status() != CellStatus.SKIPPED).count())
        .sum();
  }

  /** Cells left without a wheel: missing or sdist-only. */
  int gaps() {
    return rows.stream()
        .mapToInt(row -> (int) row.cells().stream().filter(c -> c.status().isGap()).count())
        .sum();
  }
}
