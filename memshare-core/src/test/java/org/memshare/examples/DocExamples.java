package org.memshare.examples;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/**
 * Runs a documentation example against a test directory: {@code MemShare.system()}, which the
 * examples use as a reader would, points at a fresh segment directory until the test ends.
 */
final class DocExamples implements BeforeEachCallback, AfterEachCallback {
    private final TempShm shm = TempShm.systemDirectory();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        shm.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        MemShare.system().releaseNamespace("ns");
        shm.afterEach(context);
    }

    Path directory() {
        return shm.directory();
    }
}
