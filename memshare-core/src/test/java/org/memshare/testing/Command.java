package org.memshare.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (a child JVM, the launcher script, a shell) to its end with a deadline, standard
 * input from {@code /dev/null}, standard output and error captured separately; the process and its
 * descendants are killed afterwards, and it fails the test if it overruns. For output interleaved as
 * a user sees it, {@link ConsumerApp#run} is the one to use.
 */
public final class Command {
    private Command() {
    }

    /**
     * What a finished command printed.
     *
     * @param code its exit code
     * @param out its standard output
     * @param err its standard error
     */
    public record Captured(int code, String out, String err) {
    }

    /** Runs {@code command} in {@code directory} with {@code environment} added to this JVM's. */
    public static Captured run(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds)
        throws IOException, InterruptedException {
        return run(command, environment, directory, timeoutSeconds, false);
    }

    /**
     * As {@link #run(List, Map, Path, long)}, in a session of its own ({@code setsid}) so that all it
     * started can be killed: a background job of a script outlives the script, still in that session.
     */
    public static Captured runInOwnSession(List<String> command, Map<String, String> environment, Path directory,
                                      long timeoutSeconds) throws IOException, InterruptedException {
        List<String> inSession = new ArrayList<>(List.of("setsid"));
        inSession.addAll(command);
        return run(inSession, environment, directory, timeoutSeconds, true);
    }

    private static Captured run(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds,
                           boolean killSession) throws IOException, InterruptedException {
        Path out = Files.createTempFile("memshare-out-", ".txt");
        Path err = Files.createTempFile("memshare-err-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("did not finish within " + timeoutSeconds + " s: " + command
                    + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Captured(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            if (killSession) {
                new ProcessBuilder("pkill", "-KILL", "-s", Long.toString(process.pid())).start().waitFor();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
