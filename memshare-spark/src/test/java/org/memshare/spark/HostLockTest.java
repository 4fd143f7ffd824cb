package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

/**
 * The host's lock file lives in a directory other users can write: a link or FIFO planted under its
 * name, or a file others may write, is refused with a clear message, never followed or blocked on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostLockTest {
    @RegisterExtension
    final TempShm segments = TempShm.systemDirectory();

    /** A load that would fail loudly if it ran: the lock must refuse first. */
    private static HostLoad neverCalled() {
        return new HostLoad.FromFile(new SparkSource.MatrixFileSource("/nonexistent/never-read.msm", false, null, false), 1, 1);
    }

    @Test
    void aLinkUnderTheLockFilesNameIsRefused() throws IOException {
        Path target = Files.createTempFile("memshare-lock-target", ".txt");
        try {
            Files.createSymbolicLink(segments.directory().resolve(HostCopies.LOCK_FILE), target);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HostCopies.get().attach("spark-test-1", "X", neverCalled(), false));
            assertTrue(e.getMessage().startsWith("untrusted lock file in the segment directory: path=")
                && e.getMessage().contains("regularFile=false"), e.getMessage());
        } finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void aLockFileOthersMayWriteIsRefused() throws IOException {
        Path lock = Files.createFile(segments.directory().resolve(HostCopies.LOCK_FILE));
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-rw-rw-"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> HostCopies.get().attach("spark-test-1", "X", neverCalled(), false));
        assertTrue(e.getMessage().contains("permissions=rw-rw-rw-"), e.getMessage());
    }
}
