package dev.wheelhouse.cli.upload;

import dev.wheelhouse.cli.ByteSize;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * One stderr line, rewritten in place with {@code \r}, showing how far a long file operation got:
 * percent, bytes and rate. Shown only to a person at a terminal; a disabled line does nothing, so
 * callers need not care.
 */
final class ProgressLine {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int MAX_LABEL = 40;

  private final PrintStream err;
  private final boolean enabled;
  private final String label;
  private final long total;
  private String phase = "";
  private long phaseStart;
  private long lastDraw;
  private int lastWidth;

  private ProgressLine(PrintStream err, boolean enabled, String label, long total) {
    this.err = err;
    this.enabled = enabled;
    this.label = label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 1) + "…" : label;
    this.total = total;
  }

  /** A line for {@code label}, {@code total} bytes long, drawn on {@code err} only if shown. */
  static ProgressLine of(PrintStream err, boolean shown, String label, long total) {
    return new ProgressLine(err, shown, label, total);
  }

  /** Starts a phase ("hashing", "uploading"); the returned consumer takes bytes done so far. */
  synchronized LongConsumer phase(String name) {
    phase = name;
    phaseStart = System.nanoTime();
    lastDraw = 0;
    return this::update;
  }

  /** Erases the line, leaving the cursor at its start for the next output. */
  synchronized void clear() {
    if (enabled && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  // Called from the HTTP client's threads while it reads the body.
  private synchronized void update(long done) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max((now - phaseStart) / 1e9, 1e-3);
    long percent = total == 0 ? 100 : Math.min(100, done * 100 / total);
    String line =
        String.format(
            Locale.ROOT,
            "%s %-9s %3d%%  %s / %s  %s/s",
            label,
            phase,
            percent,
            ByteSize.format(done),
            ByteSize.format(total),
            ByteSize.format((long) (done / seconds)));
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }
}
