package org.memshare.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.memshare.registry.MemShare;
import org.memshare.segment.SegmentDirectory;
import org.memshare.segment.StoreKind;

/**
 * A fresh segment directory for each test, removed afterwards even when the test fails: inside the
 * real {@code /dev/shm} for the POSIX store, and for the file store ({@code memshare.store=file} or
 * {@code MEMSHARE_STORE=file}, see {@link StoreKind#configured()}) on disk, under
 * {@code memshare.test.dir} (the build sets a directory in {@code java.io.tmpdir}; default {@code target/file-store}). Register with {@code @RegisterExtension}.
 */
public final class TempShm implements BeforeEachCallback, AfterEachCallback {
    private final List<Runnable> releases = new ArrayList<>();
    private final boolean systemDirectory;
    private Path directory;
    private String previousSystemDirectory;

    /** A directory the test reaches by its path ({@link #directory()}, {@link #registry(String...)}). */
    public TempShm() {
        this(false);
    }

    private TempShm(boolean systemDirectory) {
        this.systemDirectory = systemDirectory;
    }

    /**
     * A directory that is also this JVM's segment directory while the test runs: {@code MemShare.system()}
     * (and so every command-line verb and documentation example) uses it. The property
     * {@link SegmentDirectory#PROPERTY} is restored afterwards.
     *
     * @return the extension, for {@code @RegisterExtension}
     */
    public static TempShm systemDirectory() {
        return new TempShm(true);
    }

    /** @return the directory of the running test */
    public Path directory() {
        return directory;
    }

    /**
     * Opens a registry on the running test's directory whose {@code namespaces} are released after the
     * test (before the directory goes), so no view or mapping of the test outlives it.
     *
     * @param namespaces the namespaces to release after the test
     * @return a registry on {@link #directory()}
     */
    public MemShare registry(String... namespaces) {
        MemShare registry = MemShare.forDirectory(directory);
        for (String namespace : namespaces) {
            releases.add(() -> registry.releaseNamespace(namespace));
        }
        return registry;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory(base(), "memshare-test-");
        if (systemDirectory) {
            previousSystemDirectory = System.getProperty(SegmentDirectory.PROPERTY);
            System.setProperty(SegmentDirectory.PROPERTY, directory.toString());
        }
    }

    /** @return where test directories of the configured store are made */
    public static Path base() throws IOException {
        if (StoreKind.configured() == StoreKind.POSIX) {
            return Path.of("/dev/shm");
        }
        return Files.createDirectories(Path.of(System.getProperty("memshare.test.dir", "target/file-store")).toAbsolutePath());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            releases.forEach(Runnable::run);
        } finally {
            releases.clear();
            if (systemDirectory) {
                restoreSystemDirectory();
            }
            deleteRecursively(directory);
        }
    }

    private void restoreSystemDirectory() {
        if (previousSystemDirectory == null) {
            System.clearProperty(SegmentDirectory.PROPERTY);
        } else {
            System.setProperty(SegmentDirectory.PROPERTY, previousSystemDirectory);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
