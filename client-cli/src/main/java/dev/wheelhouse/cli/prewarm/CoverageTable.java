package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.admin.Table;
import dev.wheelhouse.cli.prewarm.Coverage.Cell;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human report of a prewarm: a table of requirements by targets, a totals line, why each gap is
 * one, and which requirements are not pinned.
 */
final class CoverageTable {
  static final String PIN_HINT =
      "pin them (pip-compile --generate-hashes, uv pip compile, or pip freeze)"
          + " so every build installs the same files";

  private CoverageTable() {}

  static void print(PrintStream out, Coverage coverage) {
    List<String> headers = new ArrayList<>();
    headers.add("REQUIREMENT");
    for (TargetEnvironment target : coverage.targets()) {
      headers.add(target.label());
    }
    Table table = new Table(headers.toArray(String[]::new));
    Table details = new Table("REQUIREMENT", "TARGET", "STATUS", "REASON");
    boolean anyDetail = false;
    for (Coverage.Row row : coverage.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(row.requested());
      for (int i = 0; i < row.cells().size(); i++) {
        Cell cell = row.cells().get(i);
        cells.add(text(cell));
        if (needsDetail(cell)) {
          details.row(
              row.requested(),
              coverage.targets().get(i).label(),
              cell.status().label(),
              cell.reason().orElse(""));
          anyDetail = true;
        }
      }
      table.row(cells.toArray(String[]::new));
    }
    table.print(out);
    out.println();
    out.println(totals(coverage));
    if (anyDetail) {
      out.println();
      details.print(out);
    }
    if (!coverage.unpinned().isEmpty()) {
      out.println();
      out.println("not pinned: " + String.join(", ", coverage.unpinned()) + "; " + PIN_HINT);
    }
    out.flush();
  }

  /** {@code 12 cached, 3 fetched, 1 built, 0 missing in 4.2 s}, sdist-only and skipped if any. */
  static String totals(Coverage coverage) {
    Map<CellStatus, Integer> totals = coverage.totals();
    List<String> parts = new ArrayList<>();
    for (CellStatus status : CellStatus.values()) {
      int count = totals.get(status);
      boolean always = status != CellStatus.SDIST_ONLY && status != CellStatus.SKIPPED;
      if (always || count > 0) {
        parts.add(count + " " + status.label());
      }
    }
    double seconds = coverage.elapsed().toMillis() / 1000.0;
    return String.join(", ", parts) + String.format(Locale.ROOT, " in %.1f s", seconds);
  }

  /** The cell as the table shows it: the status, and for a skipped cell why. */
  static String text(Cell cell) {
    if (cell.status() == CellStatus.SKIPPED && cell.reason().isPresent()) {
      return "skipped (" + cell.reason().get() + ")";
    }
    return cell.status().label();
  }

  private static boolean needsDetail(Cell cell) {
    return cell.status().isGap()
        || (cell.status() == CellStatus.BUILT && cell.reason().isPresent());
  }
}
