package dev.wheelhouse.packaging.requirements;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed pip requirements file with its {@code -r}/{@code -c} includes resolved: requirement and
 * constraint lines, index options, and lines this parser does not act on.
 */
public record RequirementsFile(
    List<RequirementLine> requirements,
    List<RequirementLine> constraints,
    Optional<String> indexUrl,
    List<String> extraIndexUrls,
    List<String> ignoredOptions) {

  /** Reads an included file named relative to the including one; the caller does the I/O. */
  @FunctionalInterface
  public interface IncludeReader {
    /** Returns the text of {@code reference} as seen from {@code includingFile}. */
    Included read(String includingFile, String reference);
  }

  /** An included file's canonical name (for cycle detection and messages) and text. */
  public record Included(String name, String text) {}

  /**
   * Parses {@code text} (named {@code name}); {@code ${VAR}} is expanded with {@code environment}
   * (pip's rule: only {@code ${NAME}} with [A-Z0-9_], unknown ones left as is). Throws {@link
   * RequirementSyntaxException} with {@code file:line} in the message.
   */
  public static RequirementsFile parse(
      String name, String text, Function<String, String> environment, IncludeReader includes) {
    throw new UnsupportedOperationException("TODO");
  }
}
