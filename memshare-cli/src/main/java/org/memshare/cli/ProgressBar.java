package org.memshare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.memshare.apply.ProgressListener;

/**
 * Progress of a long call on standard error, in one of three {@link Mode}s: a bar redrawn in place
 * with {@code \r} (at most ten times a second) when standard error is a terminal, otherwise a plain
 * line at each tenth of the work, or nothing. Call {@link #finish()} when the call returns.
 */
public final class ProgressBar implements ProgressListener {
    /** The environment variable that overrides the detected mode: {@code bar}, {@code lines} or {@code off}. */
    public static final String MODE_VARIABLE = "MEMSHARE_PROGRESS";

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    /** How progress is shown. */
    public enum Mode {
        /** A bar redrawn in place with {@code \r}: for a terminal. */
        BAR,
        /** A plain line at each tenth of the work: for a log file or a pipe. */
        LINES,
        /** Nothing: {@code --quiet} and {@code --json}. */
        OFF;

        /**
         * The mode for this process's standard error: {@link #BAR} when it is a terminal, else
         * {@link #LINES}; the environment variable {@value #MODE_VARIABLE} overrides it.
         *
         * @return the mode
         * @throws IllegalArgumentException when the variable names no mode
         */
        public static Mode forStandardError() {
            String configured = System.getenv(MODE_VARIABLE);
            if (configured != null && !configured.isBlank()) {
                try {
                    return valueOf(configured.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(MODE_VARIABLE + " must be bar, lines or off: value=" + configured);
                }
            }
            return standardErrorIsATerminal() ? BAR : LINES;
        }

        /**
         * Whether file descriptor 2 is a terminal. {@code System.console()} answers for standard input
         * and output, not for standard error (which is what {@code 2>log} redirects), so this looks at
         * what descriptor 2 is open on.
         */
        private static boolean standardErrorIsATerminal() {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }

    private final PrintWriter err;
    private final String label;
    private final Mode mode;
    private long lastDraw;
    private boolean drawn;
    private int lastTenth;

    /**
     * Creates a progress display.
     *
     * @param err where it is drawn: standard error
     * @param label what is being done, shown before the figures
     * @param mode how progress is shown
     */
    public ProgressBar(PrintWriter err, String label, Mode mode) {
        this.err = err;
        this.label = label;
        this.mode = mode;
    }

    /**
     * Shows the progress, if the mode and the time since the last update call for it.
     *
     * @param done the units done so far
     * @param total the units of the whole call
     */
    @Override
    public synchronized void progress(long done, long total) {
        switch (mode) {
            case BAR -> bar(done, total);
            case LINES -> line(done, total);
            case OFF -> { }
        }
    }

    private void bar(long done, long total) {
        long now = System.nanoTime();
        if (done < total && drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        err.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
            + String.format(Locale.ROOT, "%3d%%  %d/%d", percent(done, total), done, total));
        err.flush();
    }

    private void line(long done, long total) {
        int tenth = total == 0 ? 10 : (int) (10 * done / total);
        if (tenth <= lastTenth) {
            return;
        }
        lastTenth = tenth;
        err.println(String.format(Locale.ROOT, "%s: %d%% (%d/%d)", label, percent(done, total), done, total));
        err.flush();
    }

    private static int percent(long done, long total) {
        return total == 0 ? 100 : (int) (100 * done / total);
    }

    /** Ends the bar's line (a terminal's next output starts on a line of its own). */
    public synchronized void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
        drawn = false;
    }
}
