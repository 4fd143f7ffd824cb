package org.memshare.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.memshare.segment.SegmentDirectory;

/** Runs the command line in-process against a test's segment directory and captures what it prints. */
final class CliHarness implements AutoCloseable {
    private final String previousDirectory;

    /** Points {@code MemShare.system()} (and so every verb) at {@code directory} until closed. */
    CliHarness(Path directory) {
        previousDirectory = System.getProperty(SegmentDirectory.PROPERTY);
        System.setProperty(SegmentDirectory.PROPERTY, directory.toString());
    }

    record CliRun(int code, String out, String err) {
    }

    CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (previousDirectory == null) {
            System.clearProperty(SegmentDirectory.PROPERTY);
        } else {
            System.setProperty(SegmentDirectory.PROPERTY, previousDirectory);
        }
    }
}
