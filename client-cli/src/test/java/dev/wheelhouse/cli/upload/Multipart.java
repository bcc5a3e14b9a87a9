package dev.wheelhouse.cli.upload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A received multipart/form-data body, split into its parts, for checking what was sent. */
final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private final Map<String, String> fields;
  private final String filename;
  private final byte[] content;

  private Multipart(Map<String, String> fields, String filename, byte[] content) {
    this.fields = Map.copyOf(fields);
    this.filename = filename;
    this.content = content;
  }

  /** The text fields, by name. */
  Map<String, String> fields() {
    return fields;
  }

  /** The file part's filename parameter. */
  String filename() {
    return filename;
  }

  /** The file part's bytes. */
  byte[] content() {
    return content.clone();
  }

  static Multipart parse(String contentType, byte[] body) {
    Matcher boundaryMatch = BOUNDARY.matcher(contentType);
    if (!boundaryMatch.find()) {
      throw new AssertionError("no boundary in " + contentType);
    }
    byte[] delimiter = ("\r\n--" + boundaryMatch.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    // Prepend CRLF so that the first delimiter looks like the others.
    byte[] text = new byte[body.length + 2];
    text[0] = '\r';
    text[1] = '\n';
    System.arraycopy(body, 0, text, 2, body.length);

    Map<String, String> fields = new LinkedHashMap<>();
    String filename = null;
    byte[] content = null;
    int start = indexOf(text, delimiter, 0);
    while (start >= 0) {
      int partStart = start + delimiter.length;
      if (text[partStart] == '-' && text[partStart + 1] == '-') {
        break; // closing delimiter
      }
      partStart += 2; // CRLF after the delimiter
      int end = indexOf(text, delimiter, partStart);
      int headersEnd = indexOf(text, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), partStart);
      String headers = new String(text, partStart, headersEnd - partStart, StandardCharsets.UTF_8);
      byte[] value = Arrays.copyOfRange(text, headersEnd + 4, end);
      Matcher name = NAME.matcher(headers);
      Matcher file = FILENAME.matcher(headers);
      if (!name.find()) {
        throw new AssertionError("part without a name: " + headers);
      }
      if (file.find()) {
        filename = file.group(1);
        content = value;
      } else {
        fields.put(name.group(1), new String(value, StandardCharsets.UTF_8));
      }
      start = end;
    }
    return new Multipart(fields, filename, content);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
