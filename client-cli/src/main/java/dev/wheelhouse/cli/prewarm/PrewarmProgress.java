package dev.wheelhouse.cli.prewarm;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far the pages and downloads got, as a progress bar on stderr for a person at a terminal; the
 * bar is erased when the run ends so that only the report remains. Off, it does nothing, so callers
 * need not care. Safe to call from the download threads.
 */
final class PrewarmProgress implements AutoCloseable {
  private static final int REDRAW_MILLIS = 100;

  private final ProgressBar bar; // null when off
  private final LineConsumer line; // null when off
  private long total;
  private boolean closed;

  private PrewarmProgress(ProgressBar bar, LineConsumer line) {
    this.bar = bar;
    this.line = line;
  }

  /** Draws nothing. */
  static PrewarmProgress off() {
    return new PrewarmProgress(null, null);
  }

  /** A bar {@code width} columns wide, redrawn in place on {@code err}. */
  static PrewarmProgress bar(PrintStream err, int width) {
    // The library's own consumers ask jline for the terminal; this one is told its width and
    // writes to the stream it is given, which is what in-process runs need.
    LineConsumer line = new LineConsumer(err, width);
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("prewarm")
            .setInitialMax(0)
            .setStyle(ProgressBarStyle.UNICODE_BLOCK)
            .setUpdateIntervalMillis(REDRAW_MILLIS)
            .setConsumer(line)
            .clearDisplayOnFinish()
            .build();
    return new PrewarmProgress(bar, line);
  }

  /** {@code steps} more steps are to come. */
  synchronized void expect(long steps) {
    total += steps;
    if (bar != null) {
      bar.maxHint(total);
    }
  }

  /** One step is done; {@code now} names what comes next (shown beside the bar). */
  void step(String now) {
    if (bar != null) {
      bar.setExtraMessage(now);
      bar.step();
    }
  }

  /** Erases the bar; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (bar != null && !closed) {
      // Waits for the last redraw. A bar closed before its first redraw is drawn once more and
      // not cleared by the library, so the line is erased here if it still shows.
      bar.close();
      line.clear();
    }
    closed = true;
  }

  /**
   * Writes each rendering over the previous one with {@code \r}; clearing blanks the line, once.
   * Called on the library's one drawing thread, and by {@link #close} once that is done.
   */
  private static final class LineConsumer implements ProgressBarConsumer {
    private final PrintStream err;
    private final int width;
    private boolean shown;

    LineConsumer(PrintStream err, int width) {
      this.err = err;
      this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public synchronized void accept(String rendered) {
      String text = rendered.replace("\r", "");
      if (text.length() > width) {
        text = text.substring(0, width);
      }
      err.print('\r' + text);
      err.flush();
      shown = true;
    }

    @Override
    public synchronized void clear() {
      if (shown) {
        err.print('\r' + " ".repeat(width) + '\r');
        err.flush();
        shown = false;
      }
    }

    @Override
    public void close() {
      err.flush();
    }
  }
}
