package org.memshare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.memshare.testing.Command;

/**
 * The real {@code ./memshare} launcher, reached through symlinks from a directory of a test's own:
 * runs a command there with a deadline and captures its output; everything it started is killed at
 * the end, even when the test fails.
 */
final class Launcher {
    private Launcher() {
    }

    /** The repository: the directory above this module holding the launcher. */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("memshare")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Links the launcher into {@code home/bin/memshare} (absolute) and {@code home/memshare} (relative,
     * to the first link), as a user would put it on their PATH or beside their data.
     *
     * @return the relative link, {@code home/memshare}
     */
    static Path link(Path home) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("memshare"), repository().resolve("memshare"));
        return Files.createSymbolicLink(home.resolve("memshare"), Path.of("bin", "memshare"));
    }

    /** Removes the links to the launcher again (the temporary directory's clean-up warns about links). */
    static void unlink(Path home) throws IOException {
        Files.deleteIfExists(home.resolve("memshare"));
        Files.deleteIfExists(home.resolve("bin").resolve("memshare"));
    }

    /** Runs a bash script in {@code directory}, in a session of its own so that all it started can be killed. */
    static Command.Captured bash(String script, Path directory, Map<String, String> environment, long timeoutSeconds)
        throws IOException, InterruptedException {
        return Command.runInOwnSession(List.of("bash", "-c", script), environment, directory, timeoutSeconds);
    }
}
