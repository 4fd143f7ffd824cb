package org.memshare.cli;

import java.io.PrintStream;
import java.util.Set;

/** One verb of the {@code memshare} command. */
public interface Command {
    /** @return the verb, as typed */
    String verb();

    /** @return one line for the usage text */
    String summary();

    /** @return options that take a value, without the leading {@code --} */
    default Set<String> valuedOptions() {
        return Set.of();
    }

    /** @return options that are flags, without the leading {@code --} */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /**
     * Runs the verb.
     *
     * @param args the arguments after the verb
     * @param out standard output
     * @param err standard error: progress and reports when standard output carries JSON
     * @return the process exit code
     * @throws UsageException for bad arguments (printed with the verb's usage, exit code 2)
     */
    int run(Arguments args, PrintStream out, PrintStream err) throws Exception;
}
