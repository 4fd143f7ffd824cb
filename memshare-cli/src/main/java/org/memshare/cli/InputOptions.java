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

    /** @return the read options these select */
    public ReadOptions readOptions() {
        try {
            return ReadOptions.defaults().withDelimiter(ReadOptions.parseDelimiter(delimiter));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
