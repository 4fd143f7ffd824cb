package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.memshare.testing.OtherUser;
import org.memshare.testing.SignalDefaults;

/**
 * Runs Python child processes for the interoperability tests: {@code /usr/bin/python3} (Debian's,
 * with {@code python3-numpy}) or {@code $MEMSHARE_PYTHON}, with the repository's {@code python}
 * directory on {@code PYTHONPATH}. When numpy cannot be imported the tests fail with that reason:
 * CI installs it, so a missing numpy is a broken environment, not a reason to skip.
 */
final class Python {
    private static final long TIMEOUT_SECONDS = 60;
    private static volatile boolean checked;

    private Python() {
    }

    /** @return the interpreter the tests use */
    static String executable() {
        String configured = System.getenv("MEMSHARE_PYTHON");
        return configured == null || configured.isBlank() ? "/usr/bin/python3" : configured;
    }

    /** @return the repository's {@code python} directory, found from the working directory upwards */
    static Path moduleDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("python/memshare/__init__.py"))) {
                return dir.resolve("python");
            }
        }
        throw new IllegalStateException("python/memshare/__init__.py not found above " + Path.of("").toAbsolutePath());
    }

    /** Fails the test (never skips) when the interpreter or numpy is missing. */
    static void requireNumpy() {
        if (checked) {
            return;
        }
        PythonRun result = run("import numpy, sys; print(numpy.__version__)");
        if (result.exitCode() != 0) {
            fail("numpy is not importable by " + executable() + " (install Debian's python3-numpy, or set"
                + " MEMSHARE_PYTHON): exitCode=" + result.exitCode() + ", stderr=" + result.stderr());
        }
        checked = true;
    }

    /** The outcome of a finished child. */
    record PythonRun(int exitCode, String stdout, String stderr) {
        /** @return stdout, after asserting a zero exit code (with stderr in the message) */
        String ok() {
            assertTrue(exitCode == 0, () -> "python failed: exitCode=" + exitCode + "\nstdout=" + stdout
                + "\nstderr=" + stderr);
            return stdout;
        }

        /** @return the lines of stdout */
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /**
     * Runs {@code python3 -c script args...} to completion.
     *
     * @return exit code and output
     */
    static PythonRun run(String script, String... args) {
        return runAs(List.of(), script, args);
    }

    /**
     * Runs {@code python3 -c script args...} to completion behind a command prefix (for example
     * {@code setpriv} to run it as another user).
     *
     * @return exit code and output
     */
    static PythonRun runAs(List<String> prefix, String script, String... args) {
        Process process = start(prefix, script, args);
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("python did not finish in " + TIMEOUT_SECONDS + " s: script=" + script);
            }
            return new PythonRun(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A child that keeps running (holding what it registered) until told to finish: it prints lines,
     * the test reads them, then {@link #finish()} writes a line to its stdin. Always close it (kills
     * the child if still running).
     */
    static final class Held implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final CompletableFuture<String> err;
        private final Writer in;

        Held(String script, String... args) {
            process = start(List.of(), script, args);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            err = drain(process.getErrorStream());
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** @return the next line the child prints; fails with its stderr when it exits instead */
        String readLine() {
            try {
                String line = out.readLine();
                if (line == null) {
                    boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    fail("python closed its output early: exitCode=" + (exited ? process.exitValue() : "running")
                        + ", stderr=" + (exited ? err.join() : "(still running)"));
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** @return the child's pid */
        long pid() {
            return process.pid();
        }

        /** Tells the child to finish (one line on stdin) and waits; @return what it printed after */
        PythonRun finish() {
            try {
                in.write("done\n");
                in.flush();
                in.close();
                List<String> rest = new ArrayList<>();
                for (String line; (line = out.readLine()) != null; ) {
                    rest.add(line);
                }
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    fail("python did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new PythonRun(process.exitValue(), String.join("\n", rest), err.join());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Kills the child without letting it clean up, like a crash. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts the interpreter without waiting: for a test that signals it (SIGINT included). Always destroy it. */
    static Process start(String script, String... args) {
        return start(SignalDefaults.prefix(), script, args);
    }

    private static Process start(List<String> prefix, String script, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(executable());
        command.add("-c");
        command.add(script);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Behind a prefix (another user) the checkout may not be readable: give it a readable copy.
        boolean otherUser = !prefix.isEmpty() && !prefix.equals(SignalDefaults.prefix());
        Path modules = otherUser ? OtherUser.readableCopy(moduleDirectory()) : moduleDirectory();
        builder.environment().put("PYTHONPATH", modules.toString());
        builder.environment().remove("MEMSHARE_DIR");
        try {
            return builder.start();
        } catch (IOException e) {
            fail("cannot start python: executable=" + executable() + " (install python3 and python3-numpy, or set"
                + " MEMSHARE_PYTHON): " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        });
    }
}
