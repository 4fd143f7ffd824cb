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

/**
 * A fresh segment directory inside the real {@code /dev/shm} for each test, removed afterwards even
 * when the test fails. Register with {@code @RegisterExtension}.
 */
public final class TempShm implements BeforeEachCallback, AfterEachCallback {
    private Path directory;

    /** @return the directory of the running test */
    public Path directory() {
        return directory;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "memshare-test-");
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
