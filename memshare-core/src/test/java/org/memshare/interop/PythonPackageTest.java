package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code python/} is an installable package: installed with pip into a fresh virtual environment that
 * uses the system's numpy, {@code import memshare} finds the installed copy, and the package's own
 * tests pass from there.
 */
class PythonPackageTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void pipInstallsThePackageIntoAFreshVirtualEnvironmentWhereItsTestsPass() throws IOException {
        Python.requireNumpy();
        Path source = temp.resolve("src");
        copy(Python.moduleDirectory(), source); // pip builds in its source tree: never in the repository's
        Path venv = temp.resolve("venv");
        Path python = venv.resolve("bin/python");
        run(List.of(Python.executable(), "-m", "venv", "--system-site-packages", venv.toString()));
        run(List.of(python.toString(), "-m", "pip", "install", "--no-index", "--no-build-isolation", source.toString()));
        String where = run(List.of(python.toString(), "-c", "import memshare, numpy; print(memshare.__file__)")).strip();
        assertTrue(where.startsWith(venv.toString()), "imported from the environment: " + where);
        String tests = run(List.of(python.toString(), "-m", "unittest", "discover", "-v", "-s", source.resolve("tests").toString()));
        assertTrue(tests.contains("Ran ") && tests.strip().endsWith("OK"), tests);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                String relative = from.relativize(file).toString();
                if (relative.contains("__pycache__") || relative.contains("egg-info") || relative.startsWith("build")) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Runs a command in the temporary directory (so the source tree is not on the path); returns its output. */
    private String run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().remove("PYTHONPATH");
        builder.environment().remove("MEMSHARE_DIR");
        builder.environment().put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(4, TimeUnit.MINUTES)) {
                fail("did not finish: " + command);
            }
            assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            process.destroyForcibly();
        }
    }
}
