package org.memshare.cli;

import java.io.PrintStream;
import org.memshare.apply.ProgressListener;

/**
 * A one-line progress bar for long calls, redrawn in place at most ten times a second:
 * {@code label [##########----------]  50%  5000/10000}. Call {@link #finish()} to end the line.
 */
public final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final String label;
    private long lastDraw;
    private boolean drawn;

    public ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
        if (done < total && drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
            + String.format("%3d%%  %d/%d", percent, done, total));
        out.flush();
    }

    /** Ends the bar's line. */
    public void finish() {
        if (drawn) {
            out.println();
        }
        drawn = false;
    }
}
