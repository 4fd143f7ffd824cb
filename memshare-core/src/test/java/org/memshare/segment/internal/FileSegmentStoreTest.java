package org.memshare.segment.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.segment.Access;
import org.memshare.segment.StoreKind;
import org.memshare.segment.UntrustedSegmentException;

/**
 * The JDK-only store on a real disk directory: what it refuses (links, FIFOs, directories, other
 * users' files, files others may write, directories others may swap entries in), that it allocates
 * every block at creation, and that the POSIX store and it read each other's files.
 */
class FileSegmentStoreTest {
    @TempDir
    Path directory;

    private SegmentStore store() {
        return SegmentStore.of(StoreKind.FILE, directory);
    }

    @Test
    void createWriteReopenAndOwnerOnly() throws Exception {
        SegmentStore store = store();
        assertEquals(StoreKind.FILE, store.kind());
        try (MappedSegment created = store.create("seg", 10_000, MemorySegment.ofArray(new long[] {7}))) {
            assertEquals(7L, created.segment().get(ValueLayout.JAVA_LONG, 0), "the prefix is in place");
            assertEquals(0L, created.segment().get(ValueLayout.JAVA_LONG, 9_992), "new segments are zero-filled");
            created.segment().set(ValueLayout.JAVA_LONG, 8, 42L);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("seg"))));
        try (MappedSegment view = store.open("seg", Access.READ_ONLY)) {
            assertTrue(view.segment().isReadOnly());
            assertEquals(42L, view.segment().get(ValueLayout.JAVA_LONG, 8));
        }
        assertEquals(List.of("seg"), store.list());
        assertEquals(10_000L, store.size("seg").orElseThrow());
        assertTrue(store.unlink("seg"));
        assertThrows(SegmentNotFoundException.class, () -> store.open("seg", Access.READ_ONLY));
    }

    @Test
    void bothStoresReadWhatTheOtherWrote() {
        SegmentStore posix = SegmentStore.of(StoreKind.POSIX, directory);
        SegmentStore file = store();
        try (MappedSegment a = posix.create("from-posix", 4096)) {
            a.segment().set(ValueLayout.JAVA_INT, 0, 1);
        }
        file.createByWriting("from-file", 4096, MemorySegment.NULL,
            out -> out.write(0, MemorySegment.ofArray(new int[] {2})));
        try (MappedSegment a = file.open("from-posix", Access.READ_ONLY);
             MappedSegment b = posix.open("from-file", Access.READ_ONLY)) {
            assertEquals(1, a.segment().get(ValueLayout.JAVA_INT, 0));
            assertEquals(2, b.segment().get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void everyBlockIsAllocatedAtCreationHolesIncluded() throws Exception {
        SegmentStore store = store();
        long bytes = 1L << 20;
        store.create("mapped", bytes).close();
        // The writer covers one page in the middle only; the rest must be filled, not left sparse.
        store.createByWriting("written", bytes, MemorySegment.ofArray(new long[] {1}),
            out -> out.write(8192, MemorySegment.ofArray(new byte[4096])));
        for (String name : List.of("mapped", "written")) {
            Process stat = new ProcessBuilder("stat", "-c", "%b %B", directory.resolve(name).toString()).start();
            String[] blocks = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
            assertEquals(0, stat.waitFor());
            long allocated = Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
            assertTrue(allocated >= bytes, name + ": allocated=" + allocated + " of " + bytes);
        }
    }

    @Test
    void aSymbolicLinkIsRefusedNotFollowed() throws Exception {
        Path elsewhere = Files.writeString(directory.resolveSibling(directory.getFileName() + "-target"), "x".repeat(4096));
        try {
            Files.createSymbolicLink(directory.resolve("link"), elsewhere);
            UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class,
                () -> store().open("link", Access.READ_WRITE));
            assertTrue(e.getMessage().contains("symbolic link") && e.getMessage().contains(directory.resolve("link").toString()), e.getMessage());
            assertThrows(UntrustedSegmentException.class, () -> store().readPrefix("link", 16));
            assertFalse(store().exists("link"));
            assertThrows(SegmentExistsException.class, () -> store().create("link", 64));
            assertEquals("x".repeat(4096), Files.readString(elsewhere), "the link's target is untouched");
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlocking() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", directory.resolve("memshare.ns.f").toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class,
                () -> store().open("memshare.ns.f", Access.READ_ONLY));
            assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
            assertThrows(UntrustedSegmentException.class, () -> store().readPrefix("memshare.ns.f", 128));
        });
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Files.createDirectory(directory.resolve("dir"));
        UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class, () -> store().open("dir", Access.READ_ONLY));
        assertTrue(e.getMessage().contains("a directory"), e.getMessage());
    }

    @Test
    void aFileOthersMayWriteIsRefusedOneOthersMayReadIsNot() throws Exception {
        SegmentStore store = store();
        store.create("shared", 64).close();
        Files.setPosixFilePermissions(directory.resolve("shared"), PosixFilePermissions.fromString("rw-r--r--"));
        store.open("shared", Access.READ_ONLY).close();
        Files.setPosixFilePermissions(directory.resolve("shared"), PosixFilePermissions.fromString("rw-rw-r--"));
        UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class, () -> store.open("shared", Access.READ_ONLY));
        assertTrue(e.getMessage().contains("writable by group or others") && e.getMessage().contains("mode=0664"), e.getMessage());
    }

    @Test
    void anotherUsersFileIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file to another user");
        SegmentStore store = store();
        store.create("foreign", 64).close();
        Process chown = new ProcessBuilder("chown", "65534", directory.resolve("foreign").toString()).start();
        assertEquals(0, chown.waitFor());
        UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class, () -> store.open("foreign", Access.READ_WRITE));
        assertTrue(e.getMessage().contains("another user"), e.getMessage());
        assertThrows(UntrustedSegmentException.class, () -> store.readPrefix("foreign", 8));
    }

    @Test
    void aDirectoryOthersMayWriteNeedsTheStickyBit() throws Exception {
        Path open = Files.createDirectory(directory.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class,
            () -> SegmentStore.of(StoreKind.FILE, open).create("x", 64));
        assertTrue(e.getMessage().contains("sticky"), e.getMessage());
        Files.setAttribute(open, "unix:mode", 01777);
        SegmentStore.of(StoreKind.FILE, open).create("x", 64).close();
        assertTrue(Files.isRegularFile(open.resolve("x")));
    }

    @Test
    void theDefaultDirectoryIsCreatedOwnerOnlyAndMustStaySo() throws Exception {
        Path fresh = directory.resolve("parent").resolve("memshare-user");
        new FileSegmentStore(fresh, true).create("x", 64).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh, LinkOption.NOFOLLOW_LINKS)));
        Path loose = Files.createDirectory(directory.resolve("loose"));
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxr-xr-x"));
        UntrustedSegmentException e = assertThrows(UntrustedSegmentException.class,
            () -> new FileSegmentStore(loose, true).create("x", 64));
        assertTrue(e.getMessage().contains("owner-only"), e.getMessage());
        Path link = Files.createSymbolicLink(directory.resolve("planted"), loose);
        assertThrows(UntrustedSegmentException.class, () -> new FileSegmentStore(link, true).open("x", Access.READ_ONLY));
    }

    @Test
    void whereNamesIgnoreCaseTwoNamesDifferingByCaseAreOne() {
        SegmentStore macOs = SimulatedSystems.macOsFileStore(directory);
        macOs.create("memshare.ns.X", 64).close();
        SegmentExistsException e = assertThrows(SegmentExistsException.class, () -> macOs.create("memshare.ns.x", 64));
        assertTrue(e.getMessage().contains("existing=memshare.ns.X"), e.getMessage());
        store().create("memshare.ns.x", 64).close(); // Linux: two names
    }

    @Test
    void whereNamesIgnoreCaseAFileIsOpenedAndUnlinkedUnderAnotherCaseOnAnyVolume() throws IOException {
        SegmentStore macOs = SimulatedSystems.macOsFileStore(directory);
        assertTrue(macOs.namesIgnoreCase());
        macOs.create("memshare.ns.X", 64).close();
        try (MappedSegment mapped = macOs.open("memshare.NS.x", Access.READ_ONLY)) {
            assertEquals(64, mapped.segment().byteSize());
        }
        assertTrue(macOs.exists("memshare.ns.x"));
        assertTrue(macOs.unlink("memshare.ns.x"));
        assertFalse(Files.exists(directory.resolve("memshare.ns.X")));
        assertFalse(macOs.unlink("memshare.ns.x"));
        assertFalse(store().namesIgnoreCase());
    }

    @Test
    void readPrefixNeverMapsAndStopsAtTheEnd() throws IOException {
        Files.write(directory.resolve("short"), new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(directory.resolve("short"), PosixFilePermissions.fromString("rw-------"));
        MemorySegment prefix = store().readPrefix("short", 128).orElseThrow();
        assertArrayEquals(new byte[] {1, 2, 3}, prefix.toArray(ValueLayout.JAVA_BYTE));
        assertTrue(store().readPrefix("absent", 128).isEmpty());
    }
}
