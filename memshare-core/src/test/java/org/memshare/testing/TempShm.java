package org.memshare.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.memshare.segment.StoreKind;

/**
 * A fresh segment directory for each test, removed afterwards even when the test fails: inside the
 * real {@code /dev/shm} for the POSIX store, and for the file store ({@code memshare.store=file} or
 * {@code MEMSHARE_STORE=file}, see {@link StoreKind#configured()}) on disk, under
 * {@code memshare.test.dir} (the build sets a directory in {@code java.io.tmpdir}; default {@code target/file-store}). Register with {@code @RegisterExtension}.
 */
public final class TempShm implements BeforeEachCallback, AfterEachCallback {
    private Path directory;

    /** @return the directory of the running test */
    public Path directory() {
        return directory;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory(base(), "memshare-test-");
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
        deleteRecursively(directory);
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
