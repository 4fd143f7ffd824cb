package org.memshare.cli;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of a verb that reports on a long job ({@code --json}, {@code --quiet}) and where its
 * output goes: results to standard output; notes (what is being done, how long it took) and progress
 * to standard error. {@code --json} makes standard output one JSON document and turns progress off;
 * {@code --quiet} turns notes and progress off. Verbs include it with picocli's {@code @Mixin}.
 */
public final class ReportOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec verb;

    @Option(names = "--json", description = "Print the result as one JSON document on standard output (no progress).")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no notes on standard error.")
    private boolean quiet;

    /** Creates the options (picocli fills them in). */
    public ReportOptions() {
    }

    /**
     * Whether {@code --json} was given.
     *
     * @return true when the result is to be printed as JSON
     */
    public boolean json() {
        return json;
    }

    /**
     * Standard output: results only.
     *
     * @return the verb's standard output
     */
    public PrintWriter out() {
        return verb.commandLine().getOut();
    }

    /**
     * Where a human-readable report goes: standard output, or standard error with {@code --json} (so
     * standard output holds only the JSON), or nowhere with both {@code --json} and {@code --quiet}.
     *
     * @return the stream for the report
     */
    public PrintWriter log() {
        if (!json) {
            return out();
        }
        return quiet ? new PrintWriter(Writer.nullWriter()) : verb.commandLine().getErr();
    }

    /**
     * Prints a note on standard error, unless {@code --quiet}.
     *
     * @param format a {@link java.util.Formatter} format
     * @param args its arguments
     */
    public void note(String format, Object... args) {
        if (!quiet) {
            PrintWriter err = verb.commandLine().getErr();
            err.printf(format, args);
            err.flush();
        }
    }

    /**
     * A progress display on standard error: a bar on a terminal, a line per tenth otherwise, nothing
     * with {@code --quiet} or {@code --json}.
     *
     * @param label what is being done
     * @return the display; call {@link ProgressBar#finish()} when done
     */
    public ProgressBar progress(String label) {
        ProgressBar.Mode mode = quiet || json ? ProgressBar.Mode.OFF
            : verb.root().userObject() instanceof Main main ? main.progressMode() : ProgressBar.Mode.LINES;
        return new ProgressBar(verb.commandLine().getErr(), label, mode);
    }

    /**
     * Prints a result as one line of JSON on standard output.
     *
     * @param report a record of {@link Reports}, or a map of figures
     */
    public void printJson(Object report) {
        JsonOutput.print(out(), report);
    }
}
