package org.memshare.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An unprivileged local user for the tests that need a second uid ({@value #NAME}): created with
 * {@code useradd --system --no-create-home} when the tests run as root (as CI does), reused when it
 * exists. Commands run as it through {@code setpriv}. Tests call {@link #require()} first, which
 * skips them with the reason when the tests do not run as root.
 */
public final class OtherUser {
    /** The user's name. */
    public static final String NAME = "memshare-test";

    private static volatile long uid = -1;
    private static String classPath;

    private OtherUser() {
    }

    /** Skips the calling test unless running as root; creates the user if needed. @return its uid */
    public static synchronized long require() {
        assumeTrue(runAsRoot(), "needs root to create and switch to a second user (CI runs as root); running as uid="
            + output(List.of("id", "-u")).strip());
        if (uid < 0) {
            String id = output(List.of("id", "-u", NAME)).strip();
            if (id.isEmpty() || !id.chars().allMatch(Character::isDigit)) {
                run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME));
                id = output(List.of("id", "-u", NAME)).strip();
            }
            uid = Long.parseLong(id);
        }
        return uid;
    }

    /** @return {@code command} prefixed so that it runs as this user, without supplementary groups */
    public static List<String> as(List<String> command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--clear-groups", "--"));
        full.addAll(command);
        return full;
    }

    /** Lets every user create files in {@code directory} (mode 1777, like /dev/shm). */
    public static void shareDirectory(Path directory) {
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            run(List.of("chmod", "+t", directory.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives {@code file} to this user. */
    public static void chown(Path file) {
        run(List.of("chown", NAME + ":" + NAME, file.toString()));
    }

    /**
     * This JVM's class path as the user can read it: directories as they are, jars (from root's Maven
     * repository, which others cannot read) copied once into a world-readable temporary directory
     * that is removed at exit.
     */
    public static synchronized String readableClassPath() {
        if (classPath == null) {
            try {
                Path copies = Files.createTempDirectory("memshare-test-classpath-");
                Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> TempShm.deleteRecursively(copies)));
                List<String> entries = new ArrayList<>();
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    Path path = Path.of(entry);
                    if (Files.isRegularFile(path)) {
                        Path copy = copies.resolve(entries.size() + "-" + path.getFileName());
                        Files.copy(path, copy);
                        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                        path = copy;
                    }
                    entries.add(path.toString());
                }
                classPath = String.join(File.pathSeparator, entries);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classPath;
    }

    private static boolean runAsRoot() {
        return output(List.of("id", "-u")).strip().equals("0");
    }

    private static void run(List<String> command) {
        String out = output(command);
        if (out.startsWith("exit=")) {
            throw new IllegalStateException("command failed: " + command + ": " + out);
        }
    }

    private static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command did not finish: " + command);
            }
            return process.exitValue() == 0 ? out : "exit=" + process.exitValue() + " " + out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
