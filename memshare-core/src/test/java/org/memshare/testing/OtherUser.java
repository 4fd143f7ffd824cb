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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    private static Path copies;
    private static final Map<Path, Path> COPIED = new HashMap<>();

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
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                entries.add(Files.exists(path) ? readableCopy(path).toString() : entry);
            }
            classPath = String.join(File.pathSeparator, entries);
        }
        return classPath;
    }

    /**
     * Copies a file or a directory tree into a directory this user can read and traverse. Copies are
     * needed because the original may lie below a directory only root may enter (a checkout in a
     * {@code mktemp -d} directory, mode 0700). They are deleted when the JVM exits.
     *
     * @return the copy of {@code source}, made once
     */
    public static synchronized Path readableCopy(Path source) {
        Path made = COPIED.get(source.toAbsolutePath());
        if (made != null) {
            return made;
        }
        try {
            if (copies == null) {
                copies = Files.createTempDirectory("memshare-test-readable-");
                Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path root = copies;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> TempShm.deleteRecursively(root)));
            }
            Path target = copies.resolve(COPIED.size() + "-" + source.getFileName());
            try (Stream<Path> tree = Files.walk(source)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    Path copy = target.resolve(source.relativize(path).toString());
                    boolean directory = Files.isDirectory(path);
                    if (directory) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy);
                    }
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            COPIED.put(source.toAbsolutePath(), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
