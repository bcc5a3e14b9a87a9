package dev.wheelhouse.cli.apt;

import dev.wheelhouse.cli.CommandFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The apt sources of a host, read like apt reads them: {@code DIR/sources.list} (one-line), then
 * the files of {@code DIR/sources.list.d/} in name order, {@code *.list} one-line and {@code
 * *.sources} deb822. Other files there are ignored, as apt ignores them.
 */
final class HostSources {
  /** The file names apt reads from sources.list.d; it ignores others with a notice. */
  private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private HostSources() {}

  /**
   * The enabled sources under {@code aptDir}, in apt's order; empty if there are none.
   *
   * @param note receives notes for the user, such as files apt would ignore
   * @throws CommandFailure if a file cannot be read or apt would reject it
   */
  static List<SourceEntry> read(Path aptDir, Consumer<String> note) {
    List<SourceEntry> entries = new ArrayList<>();
    Path main = aptDir.resolve("sources.list");
    if (Files.exists(main)) {
      entries.addAll(parse(main, false));
    }
    Path parts = aptDir.resolve("sources.list.d");
    if (!Files.isDirectory(parts)) {
      return entries;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(parts)) {
      files = listing.sorted(Comparator.comparing(path -> path.getFileName().toString())).toList();
    } catch (IOException e) {
      throw CommandFailure.failed("cannot list " + parts + ": " + reason(e), e);
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      boolean deb822 = name.endsWith(".sources");
      if (!(deb822 || name.endsWith(".list")) || Files.isDirectory(file)) {
        continue;
      }
      if (!PART_NAME.matcher(name).matches()) {
        note.accept(
            "ignored " + file + ": apt reads only file names of letters, digits, '_', '-' and '.'");
        continue;
      }
      entries.addAll(parse(file, deb822));
    }
    return entries;
  }

  private static List<SourceEntry> parse(Path file, boolean deb822) {
    String text;
    try {
      // apt reads bytes; a stray Latin-1 comment must not fail the whole import.
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CommandFailure.failed("cannot read " + file + ": " + reason(e), e);
    }
    try {
      return deb822
          ? Deb822Sources.parse(text, file.toString())
          : OneLineSources.parse(text, file.toString());
    } catch (SourcesSyntaxException e) {
      throw CommandFailure.failed("invalid apt sources: " + e.getMessage(), e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
