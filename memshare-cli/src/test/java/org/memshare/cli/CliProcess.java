package org.memshare.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a child JVM, for tests that run it as a real process (with {@code Command}). */
final class CliProcess {
    private CliProcess() {
    }

    /** The command line of a child JVM running {@link Main} with this test's class path. */
    static List<String> javaMain(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
