package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.admin.AdminClient;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.tags.Libc;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The misses the server recorded from pip clients ({@code GET /admin/misses}): projects a platform
 * asked for without finding a wheel. Turned into sdist builds, and cleared once built.
 */
final class FieldMisses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminClient admin;
  private final ProjectPages pages;

  /** Index and project of each job's miss, to clear after its builds succeed. */
  private final Map<BuildJob, String> missOf = new LinkedHashMap<>();

  FieldMisses(URI server, Optional<String> token) {
    this.admin = new AdminClient("build --missing", server, token);
    this.pages = new ProjectPages(server);
  }

  /** One sdist build per recorded (project, platform, Python). */
  List<BuildJob> jobs(BuilderOptions options, PrintStream console) throws InterruptedException {
    JsonNode misses = admin.get("/admin/misses").path("misses");
    List<BuildJob> jobs = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode miss : misses) {
      String index = miss.path("index").asText();
      String project = miss.path("project").asText();
      String platform = miss.path("platform").asText();
      String python = miss.path("python").asText();
      Optional<String> version =
          Optional.ofNullable(miss.path("version").textValue()).filter(v -> !v.isBlank());
      if (version.isEmpty()) {
        version = newestSdist(project);
      }
      if (version.isEmpty()) {
        console.println(
            "skipping " + project + " for " + platform + ": the index has no sdist of it");
        continue;
      }
      TargetEnvironment target;
      try {
        target = TargetEnvironment.of(platform, python, Libc.defaultGlibc());
      } catch (IllegalArgumentException e) {
        console.println(
            "skipping " + project + " for " + platform + " py" + python + ": " + e.getMessage());
        continue;
      }
      if (!seen.add(
          project + " " + version.get() + " " + target.containerPlatform() + " " + python)) {
        continue;
      }
      BuildJob job =
          options.job(Optional.empty(), new BuildSource.Sdist(project, version.get()), target);
      jobs.add(job);
      missOf.put(job, index + "/" + project);
    }
    return jobs;
  }

  /** Clears the misses of projects whose every build succeeded. */
  void clearBuilt(List<BuildOutcome> outcomes) throws InterruptedException {
    Map<String, Boolean> allBuilt = new LinkedHashMap<>();
    for (BuildOutcome outcome : outcomes) {
      String miss = missOf.get(outcome.job());
      if (miss != null) {
        allBuilt.merge(miss, outcome.succeeded(), Boolean::logicalAnd);
      }
    }
    for (Map.Entry<String, Boolean> entry : allBuilt.entrySet()) {
      if (entry.getValue()) {
        var unused = admin.delete("/admin/misses/" + entry.getKey());
      }
    }
  }

  private Optional<String> newestSdist(String project) throws InterruptedException {
    ProjectName name = ProjectName.of(project);
    Optional<JsonNode> page;
    try {
      page = pages.page(name);
    } catch (IOException e) {
      throw CommandFailure.failed("cannot read " + pages.url(name) + ": " + e.getMessage(), e);
    }
    Version newest = null;
    for (JsonNode file : page.map(p -> p.path("files")).orElse(JSON.createArrayNode())) {
      if (file.path("yanked").asBoolean(false) || file.path("yanked").isTextual()) {
        continue;
      }
      Optional<Version> version =
          ProjectPages.sdistName(file.path("filename").asText()).map(SdistFilename::version);
      if (version.isPresent()
          && !version.get().isPreRelease()
          && (newest == null || version.get().compareTo(newest) > 0)) {
        newest = version.get();
      }
    }
    return Optional.ofNullable(newest).map(Version::toString);
  }
}
