package org.memshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.testing.Command;

/**
 * {@code ./mvnw} builds with a JDK 25 or newer whatever {@code java} comes first on {@code PATH}:
 * with an older JDK first and {@code JAVA_HOME} unset, Maven still runs on JDK 25.
 */
class WrapperJdkIT {

    /** @return an installed JDK older than 25, if this machine has one */
    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> home.getFileName().toString().matches(".*\\b(1[1-9]|2[0-4])\\b.*"))
                .sorted()
                .findFirst();
        }
    }

    @Test
    @Timeout(300)
    void mavenRunsOnJdk25WithAnOlderJavaFirstOnPath(@TempDir Path work) throws Exception {
        Optional<Path> older = olderJdk();
        assumeTrue(older.isPresent(), "no JDK older than 25 under /usr/lib/jvm to put first on PATH");
        String script = "unset JAVA_HOME\n"
            + "export PATH=" + older.get().resolve("bin") + ":$PATH\n"
            + "java -version 2>&1 | head -n 1\n"
            + "cd " + Launcher.repository() + " && ./mvnw -B -v\n";
        Command.Captured run = Launcher.bash(script, work, Map.of(), 240);
        assertEquals(0, run.code(), run.out() + run.err());
        String firstLine = run.out().lines().findFirst().orElse("");
        assertTrue(!firstLine.contains("\"25"), "the java first on PATH is older than 25: " + firstLine);
        assertTrue(run.out().lines().anyMatch(line -> line.matches("Java version: (2[5-9]|[3-9][0-9]).*")),
            "Maven runs on a JDK >= 25:\n" + run.out());
    }
}
