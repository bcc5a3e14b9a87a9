package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a requirements file and its includes line by line, as pip's {@code req_file} module does,
 * collecting what {@link RequirementsFile} holds.
 */
final class RequirementsFileParser {
  /** The algorithms pip accepts for {@code --hash} (its STRONG_HASHES). */
  private static final Set<String> HASH_ALGORITHMS = Set.of("sha256", "sha384", "sha512");

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern URL_SCHEME =
      Pattern.compile("(?i)(?:https?|file|ftp|(?:git|hg|svn|bzr)(?:\\+[a-z]+)?):.*");
  private static final Pattern ARCHIVE =
      Pattern.compile("(?i).*\\.(?:whl|zip|tar\\.gz|tgz|tar|tar\\.bz2|tbz|tar\\.xz|txz|tlz)");

  private final Function<String, String> environment;
  private final RequirementsFile.IncludeReader includes;
  private final Deque<String> includeChain = new ArrayDeque<>();

  private final List<RequirementLine> requirements = new ArrayList<>();
  private final List<RequirementLine> constraints = new ArrayList<>();
  private Optional<String> indexUrl = Optional.empty();
  private final List<String> extraIndexUrls = new ArrayList<>();
  private final List<String> ignoredOptions = new ArrayList<>();

  RequirementsFileParser(
      Function<String, String> environment, RequirementsFile.IncludeReader includes) {
    this.environment = environment;
    this.includes = includes;
  }

  /** Parses the top-level file and everything it includes. */
  RequirementsFile parse(String name, String text) {
    parseFile(name, text, false);
    return new RequirementsFile(
        List.copyOf(requirements),
        List.copyOf(constraints),
        indexUrl,
        List.copyOf(extraIndexUrls),
        List.copyOf(ignoredOptions));
  }

  private void parseFile(String name, String text, boolean constraint) {
    includeChain.addLast(name);
    for (LogicalLine line : LogicalLine.of(text, environment)) {
      String source = name + ":" + line.number();
      try {
        parseLine(line.text(), source, constraint);
      } catch (IncludedFileException e) {
        throw e;
      } catch (RequirementSyntaxException e) {
        throw new RequirementSyntaxException(source + ": " + e.getMessage());
      }
    }
    includeChain.removeLast();
  }

  /**
   * pip splits a line at the first space-separated word that starts with '-': before it is the
   * requirement (if any), after it the options.
   */
  private void parseLine(String text, String source, boolean constraint) {
    String[] words = text.split(" ", -1);
    int firstOption = 0;
    while (firstOption < words.length && !words[firstOption].startsWith("-")) {
      firstOption++;
    }
    String requirementText = String.join(" ", List.of(words).subList(0, firstOption)).strip();
    String optionsText = String.join(" ", List.of(words).subList(firstOption, words.length));
    List<PipOptionValue> options = PipOptionValue.parseAll(ShellWords.split(optionsText));
    if (requirementText.isEmpty()) {
      for (PipOptionValue option : options) {
        applyFileOption(option, text, source);
      }
    } else {
      addRequirement(requirementText, options, text, source, constraint);
    }
  }

  private void applyFileOption(PipOptionValue option, String line, String source) {
    if (option.option().perRequirement()) {
      throw new RequirementSyntaxException(
          option.option().longName() + " belongs after a requirement on the same line");
    }
    String value = option.value().orElse("");
    switch (option.option()) {
      case REQUIREMENT -> include(value, source, false);
      case CONSTRAINT -> include(value, source, true);
      case INDEX_URL -> {
        // pip replaces its whole index list with -i, so earlier extra indexes are dropped too.
        indexUrl = Optional.of(value);
        extraIndexUrls.clear();
      }
      case EXTRA_INDEX_URL -> extraIndexUrls.add(value);
      case EDITABLE -> ignoredOptions.add(source + ": " + line);
      default -> ignoredOptions.add(option.raw());
    }
  }

  private void include(String reference, String source, boolean constraint) {
    RequirementsFile.Included included = includes.read(currentFile(), reference);
    if (includeChain.contains(included.name())) {
      String chain =
          includeChain.stream().collect(Collectors.joining(" -> ")) + " -> " + included.name();
      throw new IncludedFileException(source + ": include cycle: " + chain);
    }
    try {
      parseFile(included.name(), included.text(), constraint);
    } catch (IncludedFileException e) {
      throw e;
    } catch (RequirementSyntaxException e) {
      // Marks the error as positioned, so that the including lines keep its file:line.
      throw new IncludedFileException(e.getMessage());
    }
  }

  private String currentFile() {
    return includeChain.getLast();
  }

  private void addRequirement(
      String requirementText,
      List<PipOptionValue> options,
      String line,
      String source,
      boolean constraint) {
    List<String> hashes = new ArrayList<>();
    for (PipOptionValue option : options) {
      switch (option.option()) {
        case HASH -> hashes.add(hash(option.value().orElseThrow()));
        case CONFIG_SETTINGS, GLOBAL_OPTION -> ignoredOptions.add(option.raw());
        default ->
            throw new RequirementSyntaxException(
                option.option().longName() + " cannot follow a requirement on the same line");
      }
    }
    Optional<Requirement> requirement = requirementOrLink(requirementText);
    if (requirement.isEmpty()) {
      ignoredOptions.add(source + ": " + line);
      return;
    }
    RequirementLine parsed =
        new RequirementLine(requirement.get(), List.copyOf(hashes), source, constraint);
    (constraint ? constraints : requirements).add(parsed);
  }

  /**
   * The PEP 508 requirement, or empty for what pip reads as a path or URL to install directly
   * ({@code ./dir}, {@code https://host/x.whl}, {@code git+https://...}, {@code
   * x-1.0-py3-none-any.whl}).
   */
  private static Optional<Requirement> requirementOrLink(String text) {
    if (URL_SCHEME.matcher(text).matches()) {
      return Optional.empty();
    }
    Requirement requirement;
    try {
      requirement = Requirement.parse(text);
    } catch (RequirementSyntaxException e) {
      if (looksLikePath(text)) {
        return Optional.empty();
      }
      throw e;
    }
    String beforeMarker = text.split(";", 2)[0].strip();
    if (requirement.url().isEmpty() && ARCHIVE.matcher(beforeMarker).matches()) {
      return Optional.empty(); // a wheel or sdist file name, which pip installs as a file
    }
    return Optional.of(requirement);
  }

  private static boolean looksLikePath(String text) {
    return text.startsWith(".") || text.contains("/") || text.contains("\\");
  }

  /** {@code algorithm:hexdigest}, lowercase, with one of pip's strong algorithms. */
  private static String hash(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    int colon = lower.indexOf(':');
    if (colon < 0) {
      throw new RequirementSyntaxException(
          "--hash needs an algorithm and a digest, like --hash=sha256:abcde..., not "
              + PackagingException.quote(value));
    }
    String algorithm = lower.substring(0, colon);
    if (!HASH_ALGORITHMS.contains(algorithm)) {
      throw new RequirementSyntaxException(
          "--hash algorithm "
              + PackagingException.quote(algorithm)
              + " is not sha256, sha384 or sha512");
    }
    if (!HEX.matcher(lower.substring(colon + 1)).matches()) {
      throw new RequirementSyntaxException(
          "--hash digest " + PackagingException.quote(value) + " is not hexadecimal");
    }
    return lower;
  }

  /** An error already positioned in an included file, passed up through the including lines. */
  private static final class IncludedFileException extends RequirementSyntaxException {
    private static final long serialVersionUID = 1L;

    IncludedFileException(String message) {
      super(message);
    }
  }
}
