package org.memshare.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds a Python 3 with numpy (for baselines): {@code MEMSHARE_PYTHON}, then Debian's, then PATH's. */
public final class PythonWithNumpy {
    private PythonWithNumpy() {
    }

    /**
     * Looks for an interpreter that can {@code import numpy}, in the order given above.
     *
     * @return the interpreter's command, or empty when none has numpy (or the thread was interrupted,
     *         with its interrupt flag set again)
     */
    public static Optional<String> find() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("MEMSHARE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // Not installed under this name: try the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a script from a temporary file (deleted afterwards) and returns its output.
     *
     * @param python the interpreter's command, as {@link #find()} returns it
     * @param script the Python source
     * @param args the script's arguments
     * @return the script's standard output and standard error, merged
     * @throws IOException when the interpreter cannot start or the script exits with a non-zero code
     *         ({@code python script failed: exit=…, output=…})
     * @throws InterruptedException when the thread is interrupted while the script runs
     */
    public static String run(String python, String script, String... args) throws IOException, InterruptedException {
        Path file = Files.createTempFile("memshare-", ".py");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(python, file.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("python script failed: exit=" + p.exitValue() + ", output=" + output.strip());
            }
            return output;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
