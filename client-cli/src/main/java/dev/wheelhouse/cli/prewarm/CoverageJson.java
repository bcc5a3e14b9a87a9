package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.prewarm.Coverage.Cell;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} report: {@code targets} (labels), {@code requirements} (name, version, source,
 * and per target label a cell with status, file, version, sha256 and reason), {@code totals} (per
 * status, files, seconds) and {@code unpinned}. Absent values are {@code null}.
 */
final class CoverageJson {
  private CoverageJson() {}

  static Map<String, Object> document(Coverage coverage) {
    List<String> labels = coverage.targets().stream().map(TargetEnvironment::label).toList();
    List<Map<String, Object>> requirements = new ArrayList<>();
    for (Coverage.Row row : coverage.rows()) {
      Map<String, Object> cells = new LinkedHashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        cells.put(labels.get(i), cell(row.cells().get(i)));
      }
      Map<String, Object> requirement = new LinkedHashMap<>();
      requirement.put("name", row.name());
      requirement.put("version", row.version().orElse(null));
      requirement.put("requested", row.requested());
      requirement.put("source", row.source());
      requirement.put("cells", cells);
      requirements.add(requirement);
    }
    Map<String, Object> totals = new LinkedHashMap<>();
    coverage.totals().forEach((status, count) -> totals.put(status.label(), count));
    totals.put("files", coverage.files());
    totals.put("seconds", coverage.elapsed().toMillis() / 1000.0);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("targets", labels);
    document.put("requirements", requirements);
    document.put("totals", totals);
    document.put("unpinned", coverage.unpinned());
    return document;
  }

  private static Map<String, Object> cell(Cell cell) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", cell.status().label());
    json.put("file", cell.file().orElse(null));
    json.put("version", cell.version().orElse(null));
    json.put("sha256", cell.sha256().orElse(null));
    json.put("reason", cell.reason().orElse(null));
    return json;
  }
}
