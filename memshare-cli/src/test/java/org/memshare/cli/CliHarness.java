package org.memshare.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.memshare.testing.TempShm;

/**
 * Runs the command line in-process against a test's segment directory and captures what it prints.
 * Registered as an extension ({@code @RegisterExtension final CliHarness cli = new CliHarness();}), it
 * makes a fresh segment directory before each test and points {@code MemShare.system()} (and so every
 * verb) at it; after the test's own {@code @AfterEach} methods it restores the property and deletes the
 * directory.
 */
final class CliHarness implements BeforeEachCallback, AfterEachCallback {
    private final TempShm shm = TempShm.systemDirectory();

    /** @return the segment directory of the running test */
    Path directory() {
        return shm.directory();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        shm.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        shm.afterEach(context);
    }

    record CliRun(int code, String out, String err) {
    }

    CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
