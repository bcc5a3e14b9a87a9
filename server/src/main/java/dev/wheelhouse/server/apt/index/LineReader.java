package dev.wheelhouse.server.apt.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 lines from a stream without buffering more than one line, ending lines at LF and
 * dropping the CR of a CRLF.
 */
final class LineReader {
  /**
   * The longest line accepted. Debian's longest index lines are under 100 KiB (long Provides and
   * Depends lists); the cap keeps a hostile upstream from growing one line without bound.
   */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private byte[] line = new byte[1024];
  private int lineNumber;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Returns the next line without its line terminator, or null at the end of the stream. */
  String readLine() throws IOException {
    int length = 0;
    while (true) {
      if (position == limit) {
        int read = in.read(buffer, 0, buffer.length);
        if (read < 0) {
          if (length == 0) {
            return null;
          }
          break;
        }
        position = 0;
        limit = read;
        continue;
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      length = append(length, start, position - start);
      if (position < limit) {
        position++;
        break;
      }
    }
    lineNumber++;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** The 1-based number of the line {@link #readLine} last returned. */
  int lineNumber() {
    return lineNumber;
  }

  private int append(int length, int start, int count) throws DebianFormatException {
    int needed = length + count;
    if (needed > MAX_LINE_BYTES) {
      throw DebianFormatException.atLine(
          lineNumber + 1, "line longer than " + MAX_LINE_BYTES + " bytes");
    }
    if (needed > line.length) {
      line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(needed, 2 * line.length)));
    }
    System.arraycopy(buffer, start, line, length, count);
    return needed;
  }
}
