package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.requirements.PyLock;
import dev.wheelhouse.packaging.requirements.Requirement;
import dev.wheelhouse.packaging.requirements.RequirementLine;
import dev.wheelhouse.packaging.requirements.RequirementsFile;
import dev.wheelhouse.packaging.requirements.SpecifierSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to prewarm, read from requirements files and {@code pylock.toml} files, and what those files
 * asked for that prewarm does not act on.
 *
 * @param items the requirements, in file order
 * @param notes one line each about options the files set that prewarm ignores
 */
record PrewarmPlan(List<PrewarmItem> items, List<String> notes) {
  static final String DIRECT_URL = "direct URL";
  static final String VCS_OR_DIRECTORY = "VCS or directory";
  static final String NO_VERSION = "no version";

  PrewarmPlan {
    items = List.copyOf(items);
    notes = List.copyOf(notes);
  }

  /**
   * Reads every file: names ending in {@code .toml} as PEP 751 lock files, others as pip
   * requirements files ({@code ${VAR}} taken from {@code env}, includes read relative to the file
   * that names them). Throws a usage {@link CommandFailure} for a file that cannot be read or
   * parsed.
   */
  static PrewarmPlan read(List<Path> files, Map<String, String> env) {
    List<PrewarmItem> items = new ArrayList<>();
    Set<String> notes = new LinkedHashSet<>();
    for (Path file : files) {
      String name = file.toString();
      String text = readText(file, null);
      try {
        if (name.toLowerCase(Locale.ROOT).endsWith(".toml")) {
          items.addAll(fromLock(PyLock.parse(name, text), name));
        } else {
          RequirementsFile parsed =
              RequirementsFile.parse(name, text, env::get, PrewarmPlan::include);
          items.addAll(fromRequirements(parsed));
          notes.addAll(notes(parsed));
        }
      } catch (PackagingException e) {
        throw CommandFailure.usage("wheelhouse prewarm: " + e.getMessage());
      }
    }
    return new PrewarmPlan(items, List.copyOf(notes));
  }

  private static List<PrewarmItem> fromRequirements(RequirementsFile file) {
    Map<ProjectName, List<PrewarmItem.Constraint>> constraints = new LinkedHashMap<>();
    for (RequirementLine line : file.constraints()) {
      Requirement constraint = line.requirement();
      constraints
          .computeIfAbsent(constraint.name(), n -> new ArrayList<>())
          .add(
              new PrewarmItem.Constraint(
                  constraint.specifiers(), Set.copyOf(line.hashes()), constraint.marker()));
    }
    List<PrewarmItem> items = new ArrayList<>();
    for (RequirementLine line : file.requirements()) {
      Requirement requirement = line.requirement();
      items.add(
          new PrewarmItem(
              requirement.name(),
              requirement.specifiers(),
              Set.copyOf(line.hashes()),
              requirement.marker(),
              constraints.getOrDefault(requirement.name(), List.of()),
              line.source(),
              requirement.url().isPresent() ? Optional.of(DIRECT_URL) : Optional.empty()));
    }
    return items;
  }

  private static List<PrewarmItem> fromLock(PyLock lock, String file) {
    List<PrewarmItem> items = new ArrayList<>();
    for (PyLock.LockedPackage locked : lock.packages()) {
      Set<String> hashes = new HashSet<>();
      locked.sdist().ifPresent(sdist -> hashes.addAll(hashValues(sdist)));
      locked.wheels().forEach(wheel -> hashes.addAll(hashValues(wheel)));
      Optional<String> skipped =
          locked.hasVcsOrDirectorySource()
              ? Optional.of(VCS_OR_DIRECTORY)
              : locked.version().isEmpty() ? Optional.of(NO_VERSION) : Optional.empty();
      SpecifierSet pin =
          skipped.isEmpty()
              ? SpecifierSet.parse("==" + locked.version().get())
              : SpecifierSet.any();
      items.add(
          new PrewarmItem(
              ProjectName.of(locked.name()),
              pin,
              hashes,
              locked.marker(),
              List.of(),
              file,
              skipped));
    }
    return items;
  }

  private static List<String> hashValues(PyLock.LockedFile file) {
    return file.hashes().entrySet().stream()
        .map(e -> e.getKey().toLowerCase(Locale.ROOT) + ":" + e.getValue().toLowerCase(Locale.ROOT))
        .toList();
  }

  private static List<String> notes(RequirementsFile file) {
    List<String> notes = new ArrayList<>();
    if (file.indexUrl().isPresent() || !file.extraIndexUrls().isEmpty()) {
      // The URLs themselves may carry credentials: never echoed.
      notes.add(
          "--index-url/--extra-index-url in requirements files are ignored:"
              + " files come from the server's index");
    }
    // Options by name only, and lines prewarm cannot fetch (editable, bare URL) by position only:
    // values and URLs may carry credentials.
    Set<String> options = new LinkedHashSet<>();
    List<String> lines = new ArrayList<>();
    for (String entry : file.ignoredOptions()) {
      String text = entry.strip();
      if (text.startsWith("-")) {
        int end = 0;
        while (end < text.length()
            && !Character.isWhitespace(text.charAt(end))
            && text.charAt(end) != '=') {
          end++;
        }
        options.add(text.substring(0, end));
      } else {
        int separator = text.indexOf(": ");
        lines.add(separator > 0 ? text.substring(0, separator) : text);
      }
    }
    if (!options.isEmpty()) {
      notes.add("ignored in requirements files: " + String.join(", ", options));
    }
    if (!lines.isEmpty()) {
      notes.add("not prewarmed (editable or bare URL): " + String.join(", ", lines));
    }
    return notes;
  }

  private static RequirementsFile.Included include(String includingFile, String reference) {
    Path path;
    try {
      path = Path.of(includingFile).resolveSibling(reference).normalize();
    } catch (InvalidPathException e) {
      throw CommandFailure.usage(
          "wheelhouse prewarm: cannot read " + reference + " (named in " + includingFile + ")");
    }
    return new RequirementsFile.Included(path.toString(), readText(path, includingFile));
  }

  private static String readText(Path file, String includedFrom) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String from = includedFrom == null ? "" : " (named in " + includedFrom + ")";
      throw CommandFailure.usage(
          "wheelhouse prewarm: cannot read " + file + from + ": " + problem(e));
    }
  }

  private static String problem(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
