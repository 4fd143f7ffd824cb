package org.memshare.cli;

import org.memshare.io.ReadOptions;
import picocli.CommandLine.Option;

/** How verbs that read a matrix file read text: {@code --delimiter}. */
public final class InputOptions {
    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
        description = "CSV cell separator: one character, or \\t (tab) (default: ${DEFAULT-VALUE}).")
    private String delimiter;

    /** Creates the options; picocli fills them. */
    public InputOptions() {
    }

    /**
     * The options for reading the input file, from {@code --delimiter}.
     *
     * @return the read options these select
     * @throws UsageException for a delimiter that is not one character, {@code \t} or {@code tab}, or
     *     that cannot separate cells (a quote, a line break, a space); the command exits 2
     */
    public ReadOptions readOptions() {
        try {
            return ReadOptions.defaults().withDelimiter(ReadOptions.parseDelimiter(delimiter));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
