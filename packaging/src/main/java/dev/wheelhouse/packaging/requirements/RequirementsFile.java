package dev.wheelhouse.packaging.requirements;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed pip requirements file with its {@code -r}/{@code -c} includes resolved: requirement and
 * constraint lines, index options, and lines this parser does not act on.
 *
 * <p>Lines are read as pip reads them: a trailing backslash continues a line, {@code #} starts a
 * comment at the start of a line or after whitespace, and {@code ${VAR}} is expanded. Index options
 * apply in file order across includes, as in pip: the last {@code -i}/{@code --index-url} wins and,
 * since pip replaces its whole index list with it, drops the {@code --extra-index-url}s before it.
 * Includes nested in a {@code -c} file follow pip too: {@code -r} there adds requirements. {@code
 * --no-index} is only recorded in {@code ignoredOptions}; it does not clear the index URLs.
 *
 * @param requirements requirement lines, in file order with includes inlined
 * @param constraints lines from {@code -c} files
 * @param indexUrl the last {@code -i}/{@code --index-url}
 * @param extraIndexUrls the {@code --extra-index-url}s since it, in order
 * @param ignoredOptions what pip would act on but this parser does not: other options as written
 *     (e.g. {@code --find-links https://host/wheels}, {@code --pre}), and editable lines and direct
 *     paths or URLs as {@code file:line: text}
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

  /**
   * An included file's canonical name (for cycle detection and messages) and text.
   *
   * @param name the canonical name, used in sources ({@code name:line}) and to detect cycles
   * @param text the file's content
   */
  public record Included(String name, String text) {}

  /**
   * Parses {@code text} (named {@code name}); {@code ${VAR}} is expanded with {@code environment}
   * (pip's rule: only {@code ${NAME}} with [A-Z0-9_], unknown ones left as is). Throws {@link
   * RequirementSyntaxException} with {@code file:line} in the message.
   */
  public static RequirementsFile parse(
      String name, String text, Function<String, String> environment, IncludeReader includes) {
    return new RequirementsFileParser(environment, includes).parse(name, text);
  }
}
