package org.memshare.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.memshare.segment.SegmentDirectory;
import org.memshare.testing.TempShm;

/**
 * A fresh segment directory in {@code /dev/shm} for each test, made this JVM's segment directory
 * ({@code memshare.dir}, which {@link SparkSetup} passes on to executors) and removed afterwards, even
 * when the test fails. Register with {@code @RegisterExtension}.
 */
final class SegmentDirectoryProperty implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/dev/shm"), "memshare-spark-test-");
        System.setProperty(SegmentDirectory.PROPERTY, directory.toString());
    }

    /** @return the directory of the running test */
    Path directory() {
        return Path.of(System.getProperty(SegmentDirectory.PROPERTY));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String directory = System.getProperty(SegmentDirectory.PROPERTY);
        System.clearProperty(SegmentDirectory.PROPERTY);
        if (directory != null) {
            TempShm.deleteRecursively(Path.of(directory));
        }
    }
}
