package org.memshare.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives children that tests signal SIGINT's default action. A process started in the background by a
 * non-interactive shell ({@code cmd &} in a CI script) ignores SIGINT, an ignored signal stays ignored
 * across fork and exec, and the JVM and Python rightly leave it so: a test sending SIGINT to such a
 * child would wait for an exit that never comes. Then the child starts through
 * {@code env --default-signal=INT}; otherwise nothing changes.
 */
public final class SignalDefaults {
    /** SIGINT's bit in the masks of {@code /proc/self/status} (bit {@code signal - 1}). */
    private static final long SIGINT_BIT = 1L << 1;

    private SignalDefaults() {
    }

    /** @return the words to put before a child's command line: empty unless this JVM ignores SIGINT */
    public static List<String> prefix() {
        return sigintIgnored() ? List.of("env", "--default-signal=INT") : List.of();
    }

    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & SIGINT_BIT) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux): nothing to restore there.
        }
        return false;
    }
}
