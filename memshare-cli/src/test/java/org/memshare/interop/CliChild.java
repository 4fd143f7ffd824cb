package org.memshare.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.memshare.cli.Main;
import org.memshare.testing.ChildJvm;

/** The command line run in a child JVM on a test's segment directory, as a user runs it. */
final class CliChild {
    private CliChild() {
    }

    /**
     * @param code the exit code
     * @param out standard output, lines joined with {@code \n}
     */
    record CliChildRun(int code, String out) {
    }

    /** Runs {@code memshare ARGS} with {@code MEMSHARE_DIR=directory} and standard input closed. */
    static CliChildRun run(Path directory, String... args) {
        try (ChildJvm child = ChildJvm.start(Map.of("MEMSHARE_DIR", directory.toString()), Main.class, args)) {
            child.closeInput();
            List<String> lines = new ArrayList<>();
            for (String line; (line = child.readLine()) != null; ) {
                lines.add(line);
            }
            return new CliChildRun(child.waitFor(), String.join("\n", lines));
        }
    }
}
