package org.memshare.segment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memshare.testing.TempShm;
import org.memshare.segment.OutOfSharedMemoryException;

/**
 * A real, tiny tmpfs (1 MiB) that runs full: registration fails with a clear exception and leaves no
 * file, instead of a SIGBUS later. Needs the right to mount (root, as in CI); reported as skipped
 * where the machine refuses the mount.
 */
class FullFileSystemTest {
    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        mountPoint = Files.createTempDirectory("memshare-tiny-tmpfs-");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mountPoint.toString())
            .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + output.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
        }
        TempShm.deleteRecursively(mountPoint);
    }

    @Test
    void spaceTakenWhileWritingIsACleanErrorWithNoFileLeft() throws Exception {
        SegmentStore store = SegmentStore.forDirectory(mountPoint);
        byte[] data = new byte[600 * 1024];
        OutOfSharedMemoryException e = assertThrows(OutOfSharedMemoryException.class,
            () -> store.createByWriting("late", data.length, MemorySegment.NULL, output -> {
                try {
                    // Another process fills the file system after the free-space check.
                    Files.write(mountPoint.resolve("other"), new byte[700 * 1024]);
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
                output.write(0, MemorySegment.ofArray(data));
            }));
        assertTrue(e.getMessage().contains("name=late"), e.getMessage());
        assertEquals(List.of("other"), store.list());
    }

    @Test
    void moreThanTheFreeSpaceIsRefusedUpFrontOnBothPaths() {
        SegmentStore store = SegmentStore.forDirectory(mountPoint);
        assertThrows(OutOfSharedMemoryException.class, () -> store.create("big", 2L << 20));
        assertThrows(OutOfSharedMemoryException.class, () -> store.createByWriting("big", 2L << 20, MemorySegment.NULL, output -> { }));
        assertFalse(store.exists("big"));
        try (MappedSegment fits = store.create("fits", 512 * 1024)) {
            assertEquals(512 * 1024, fits.segment().byteSize());
        }
        assertThrows(OutOfSharedMemoryException.class, () -> store.create("second", 700 * 1024));
        assertEquals(List.of("fits"), store.list());
    }

    @Test
    void listingAFullFileSystemWithASparseFileNamedLikeOursNeitherFaultsNorFails() throws Exception {
        // Fill the file system, then leave a sparse file under one of our names: mapping and reading
        // its (unallocated) first page would fault; listing must read without mapping.
        Files.write(mountPoint.resolve("filler"), new byte[1000 * 1024]);
        try (RandomAccessFile sparse = new RandomAccessFile(mountPoint.resolve("memshare.a.b").toFile(), "rw")) {
            sparse.setLength(256 * 1024); // ftruncate: FileChannel.truncate never grows a file
        }
        org.memshare.registry.MemShare registry = org.memshare.registry.MemShare.forDirectory(mountPoint);
        assertEquals(List.of(), registry.census().list());
        assertEquals(List.of(), registry.census().reclaimOrphans(false));
        assertTrue(Files.exists(mountPoint.resolve("memshare.a.b")), "a file that is not ours is never removed");
    }
}
