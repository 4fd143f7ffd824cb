package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.segment.StoreKind;
import org.memshare.testing.TempShm;

/**
 * With the file store, {@code ls} lists what the store refuses to open (a FIFO, a symbolic link,
 * another user's file) as {@code not-a-segment} or {@code foreign} without blocking or failing, and
 * {@code gc} never touches it. Runs in the build's
 * file-store pass ({@code memshare.store=file}).
 */
class FileStoreCensusTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void hostileEntriesAreListedAsRefusedNeverOpenedNorRemoved() throws Exception {
        assumeTrue(StoreKind.configured() == StoreKind.FILE, "runs with memshare.store=file");
        Path directory = shm.directory();
        MemShare ms = MemShare.forDirectory(directory);
        ms.register("cen", "good", new double[] {1, 2});
        assertEquals(0, new ProcessBuilder("mkfifo", directory.resolve("memshare.cen.fifo").toString()).start().waitFor());
        Files.createSymbolicLink(directory.resolve("memshare.cen.link"), directory.resolve("memshare.cen.good"));
        Path foreign = Files.copy(directory.resolve("memshare.cen.good"), directory.resolve("memshare.cen.foreign"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assertEquals(0, new ProcessBuilder("chown", "65534", foreign.toString()).start().waitFor());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            List<String> listed = ms.census().list().stream().map(e -> e.segmentName() + " " + e.state().label()).toList();
            assertEquals(List.of("memshare.cen.fifo not-a-segment", "memshare.cen.foreign " + (root ? "foreign" : "ready"),
                "memshare.cen.good ready", "memshare.cen.link not-a-segment"), listed);
            assertEquals(List.of(), ms.census().reclaimOrphans(false));
        });
        for (String name : List.of("memshare.cen.fifo", "memshare.cen.link", "memshare.cen.foreign")) {
            assertTrue(Files.exists(directory.resolve(name), LinkOption.NOFOLLOW_LINKS), name + " untouched");
        }
        ms.releaseVariables("cen", "good");
    }
}
