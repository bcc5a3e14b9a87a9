package dev.wheelhouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** The {@code --json} option shared by commands, and the one way they write JSON. */
public final class JsonOption {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(
      names = "--json",
      description = "Print machine-readable JSON on stdout instead of human output.")
  private boolean json;

  public boolean enabled() {
    return json;
  }

  /** Writes {@code value} (records, lists, maps) as JSON followed by a newline. */
  public static void print(PrintStream out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      // Only our own records are written; failing to serialize one is a bug, not an input error.
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
    out.flush();
  }
}
