package org.memshare.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (the command line in a child JVM, the launcher script, a shell) to its end with a
 * deadline, capturing standard output and error separately; the process is killed if it overruns.
 */
final class CliProcess {
    private CliProcess() {
    }

    record ProcessRun(int code, String out, String err) {
    }

    /** The command line of a child JVM running {@link Main} with this test's class path. */
    static List<String> javaMain(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    static ProcessRun run(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds)
        throws IOException, InterruptedException {
        Path out = Files.createTempFile("memshare-cli-out-", ".txt");
        Path err = Files.createTempFile("memshare-cli-err-", ".txt");
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
            return new ProcessRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
