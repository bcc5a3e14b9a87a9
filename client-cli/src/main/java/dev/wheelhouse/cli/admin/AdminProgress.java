package dev.wheelhouse.cli.admin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One stderr line, rewritten in place with {@code \r}, showing the progress lines of a long admin
 * operation: phase, count and percent. Drawn only for a person at a terminal; a hidden line does
 * nothing, so callers need not care.
 */
final class AdminProgress implements AdminClient.ProgressListener {
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final boolean shown;
  private final String label;
  private String lastPhase;
  private long lastDraw;
  private int lastWidth;

  private AdminProgress(PrintStream err, boolean shown, String label) {
    this.err = err;
    this.shown = shown;
    this.label = label;
  }

  /** A line labelled {@code label} ("prune"), drawn on {@code err} only if {@code shown}. */
  static AdminProgress of(PrintStream err, boolean shown, String label) {
    return new AdminProgress(err, shown, label);
  }

  @Override
  public synchronized void progress(String phase, long done, long total) {
    if (!shown) {
      return;
    }
    long now = System.nanoTime();
    boolean milestone = !phase.equals(lastPhase) || (total >= 0 && done >= total);
    if (!milestone && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastPhase = phase;
    lastDraw = now;
    String line = line(label, phase, done, total);
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }

  /** Erases the line, leaving the cursor at its start for the next output. */
  synchronized void clear() {
    if (shown && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  /** {@code prune: scan 123 / 456 (26%)}, or {@code prune: scan 123} when the total is unknown. */
  static String line(String label, String phase, long done, long total) {
    if (total < 0) {
      return String.format(Locale.ROOT, "%s: %s %d", label, phase, done);
    }
    long percent = total == 0 ? 100 : Math.max(0, Math.min(100, done * 100 / total));
    return String.format(Locale.ROOT, "%s: %s %d / %d (%d%%)", label, phase, done, total, percent);
  }
}
