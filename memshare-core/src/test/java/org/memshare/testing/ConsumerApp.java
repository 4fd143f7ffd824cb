package org.memshare.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.memshare.apply.Cluster;

/**
 * An application that uses memshare as a library (memApply with a lambda and with a named function
 * class on {@code Cluster.processes(2)}), written out as sources for the launch-mode tests: plain
 * class path, a shaded jar, the module path, a foreign class loader, and a Maven project run with
 * {@code mvn exec:java}. Its output is {@link #EXPECTED}.
 */
public final class ConsumerApp {
    /** The lines the application prints when every call ran on worker JVMs and gave the right results. */
    public static final List<String> EXPECTED = List.of("sums=[5.0, 7.0, 9.0]", "scaled=[50.0, 70.0, 90.0]",
        "inWorkers=true");
    /** The application's main class. */
    public static final String MAIN_CLASS = "com.example.consumer.Main";
    /** The application's module. */
    public static final String MODULE = "com.example.consumer";

    private ConsumerApp() {
    }

    /**
     * Writes the sources in Maven's layout under {@code root}: {@code src/main/java/…/Main.java}, and
     * {@code module-info.java} when {@code module}.
     *
     * @return the source files written
     */
    public static List<Path> writeSources(Path root, boolean module) throws IOException {
        Path sources = root.resolve("src/main/java");
        Path main = sources.resolve("com/example/consumer/Main.java");
        Files.createDirectories(main.getParent());
        Files.writeString(main, resource("ConsumerMain.java.txt"));
        if (!module) {
            return List.of(main);
        }
        Path descriptor = Files.writeString(sources.resolve("module-info.java"), resource("module-info.java.txt"));
        return List.of(descriptor, main);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsumerApp.class.getResourceAsStream("/org/memshare/launch/" + name)) {
            if (in == null) {
                throw new IOException("test resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return the directory or jar memshare's own classes were loaded from in this JVM */
    public static Path memshareClasses() {
        try {
            return Path.of(Cluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the {@code java} binary of this JVM */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * What a finished process printed.
     *
     * @param exitCode its exit code
     * @param output standard output and standard error, interleaved
     * @param command the command line, for messages
     */
    public record Run(int exitCode, String output, List<String> command) {
        /** @return the output's lines */
        public List<String> lines() {
            return output.lines().toList();
        }

        /** @return a description for assertion messages */
        public String describe() {
            return "exitCode=" + exitCode + ", command=" + String.join(" ", command) + "\n" + output;
        }
    }

    /**
     * Runs a command to its end, killing it (and its descendants) when it takes longer than {@code timeout}.
     */
    public static Run run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                // The process is gone.
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                    + output.toString(StandardCharsets.UTF_8));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return new Run(process.exitValue(), output.toString(StandardCharsets.UTF_8), command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
