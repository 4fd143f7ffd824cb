package org.memshare.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.memshare.segment.StoreKind;

/**
 * A real child JVM running a main class from this class path; killed on {@link #close()} so a failing
 * test leaves no process behind. Standard error is inherited, so the child's errors show in the log.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader stdout;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} with {@code args}. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(Map.of(), mainClass, args);
    }

    /** Starts {@code mainClass} with extra environment variables. */
    public static ChildJvm start(Map<String, String> environment, Class<?> mainClass, String... args) {
        return start(environment, false, List.of(), mainClass, args);
    }

    /** Starts {@code mainClass} with extra JVM options, which come last and so override the defaults here. */
    public static ChildJvm startWithJvmOptions(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return start(Map.of(), false, jvmOptions, mainClass, args);
    }

    /** Starts {@code mainClass} as {@link OtherUser}, on a copy of the class path that user can read. */
    public static ChildJvm startAsOtherUser(Map<String, String> environment, Class<?> mainClass, String... args) {
        return start(environment, true, List.of(), mainClass, args);
    }

    private static ChildJvm start(Map<String, String> environment, boolean otherUser, List<String> jvmOptions,
                                  Class<?> mainClass, String... args) {
        // Tests send children SIGINT: give it its default action even when this JVM inherited it ignored.
        List<String> command = new ArrayList<>(SignalDefaults.prefix());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        if (!environment.containsKey(StoreKind.ENV)) {
            // The child uses the store this test run uses, whether chosen by property or environment.
            command.add("-D" + StoreKind.PROPERTY + "=" + StoreKind.configured().label());
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(otherUser ? OtherUser.readableClassPath() : System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        if (otherUser) {
            command = OtherUser.as(command);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next line the child printed, or null at its end; fails after 30 s */
    public String readLine() {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stdout.ready() && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (!stdout.ready() && System.nanoTime() >= deadline) {
                throw new AssertionError("child printed nothing within 30 s");
            }
            return stdout.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends a line to the child's standard input. */
    public void writeLine(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the child's standard input. */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return all the child printed from now to its end (its exit within 60 s is awaited first) */
    public String readRest() {
        waitFor();
        try {
            StringBuilder rest = new StringBuilder();
            for (String line; (line = stdout.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            return rest.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the child's exit code; fails after 60 s */
    public int waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not exit within 60 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** Kills with SIGKILL and waits for the end. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
