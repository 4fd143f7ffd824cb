package org.memshare.segment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.testing.TempShm;
import org.memshare.segment.SegmentDirectory;
import org.memshare.segment.Access;
import org.memshare.segment.OutOfSharedMemoryException;

class PosixSegmentStoreTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private SegmentStore store() {
        return SegmentStore.forDirectory(shm.directory());
    }

    @Test
    void createWriteReopenReadOnly() {
        SegmentStore store = store();
        try (MappedSegment created = store.create("seg", 4096)) {
            assertEquals(4096, created.segment().byteSize());
            assertEquals(0L, created.segment().get(ValueLayout.JAVA_LONG, 4088), "new segments are zero-filled");
            created.segment().set(ValueLayout.JAVA_LONG, 8, 42L);
        }
        try (MappedSegment view = store.open("seg", Access.READ_ONLY)) {
            assertTrue(view.segment().isReadOnly());
            assertEquals(42L, view.segment().get(ValueLayout.JAVA_LONG, 8));
            assertThrows(IllegalArgumentException.class, () -> view.segment().set(ValueLayout.JAVA_LONG, 8, 1L));
        }
        assertEquals(4096L, store.size("seg").orElseThrow());
        assertTrue(store.exists("seg"));
        assertEquals(List.of("seg"), store.list());
        assertTrue(store.unlink("seg"));
        assertFalse(store.exists("seg"));
        assertFalse(store.unlink("seg"));
    }

    @Test
    void fileIsOwnerOnly() throws Exception {
        try (MappedSegment ignored = store().create("private", 64)) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(shm.directory().resolve("private"))));
        }
    }

    @Test
    void createIsExclusiveAndNamesTheSegment() {
        SegmentStore store = store();
        store.create("dup", 64).close();
        SegmentExistsException e = assertThrows(SegmentExistsException.class, () -> store.create("dup", 64));
        assertTrue(e.getMessage().contains("name=dup"), e.getMessage());
    }

    @Test
    void leftoverFileBlocksCreation() throws Exception {
        Files.writeString(shm.directory().resolve("left"), "left by a crashed process");
        assertThrows(SegmentExistsException.class, () -> store().create("left", 64));
        assertEquals("left by a crashed process", Files.readString(shm.directory().resolve("left")));
    }

    @Test
    void moreThanTheFreeSpaceFailsCleanly() {
        SegmentStore store = store();
        long tooMuch = store.availableBytes() + (1L << 30);
        OutOfSharedMemoryException e = assertThrows(OutOfSharedMemoryException.class, () -> store.create("huge", tooMuch));
        assertTrue(e.getMessage().contains("requested=" + tooMuch), e.getMessage());
        assertFalse(store.exists("huge"), "no file is left behind");
    }

    @Test
    void nonPositiveSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> store().create("zero", 0));
        assertThrows(IllegalArgumentException.class, () -> store().create("negative", -5));
        assertFalse(store().exists("zero"));
    }

    @Test
    void openingAMissingSegmentIsAClearError() {
        SegmentNotFoundException e = assertThrows(SegmentNotFoundException.class, () -> store().open("missing", Access.READ_ONLY));
        assertTrue(e.getMessage().contains("name=missing"));
    }

    @Test
    void unlinkedSegmentStaysReadableWhileMapped() {
        SegmentStore store = store();
        try (MappedSegment writer = store.create("gone", 64)) {
            writer.segment().set(ValueLayout.JAVA_INT, 0, 7);
            try (MappedSegment reader = store.open("gone", Access.READ_ONLY)) {
                store.unlink("gone");
                assertFalse(store.exists("gone"));
                assertEquals(7, reader.segment().get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    @Test
    void closedMappingThrowsInsteadOfCrashing() {
        MappedSegment mapped = store().create("closed", 64);
        mapped.close();
        mapped.close();
        assertFalse(mapped.isMapped());
        assertThrows(IllegalStateException.class, () -> mapped.segment().get(ValueLayout.JAVA_INT, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "..", ".hidden", "tab\there", "nul\u0000", "back\\slash"})
    void namesThatCouldEscapeTheDirectoryAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> store().create(name, 64));
        try (var files = Files.list(shm.directory())) {
            assertEquals(0, files.count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void emptyAndOverlongNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> store().create("", 64));
        assertThrows(NullPointerException.class, () -> store().create(null, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> store().create("x".repeat(SegmentName.MAX_LENGTH + 1), 64));
        assertTrue(e.getMessage().contains("too long"));
    }

    @Test
    void macOsLimitIsCheckedWithAClearMessage() {
        SegmentName.validateForMacOs("x".repeat(30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SegmentName.validateForMacOs("x".repeat(31)));
        assertTrue(e.getMessage().contains("max=31"), e.getMessage());
    }

    @Test
    void directoryIsConfigurable() {
        Path dir = shm.directory();
        assertEquals(dir.toAbsolutePath().normalize(), SegmentStore.forDirectory(dir).directory());
        String before = System.getProperty(SegmentDirectory.PROPERTY);
        try {
            System.setProperty(SegmentDirectory.PROPERTY, dir.toString());
            assertEquals(dir.toAbsolutePath().normalize(), SegmentStore.system().directory());
        } finally {
            if (before == null) {
                System.clearProperty(SegmentDirectory.PROPERTY);
            } else {
                System.setProperty(SegmentDirectory.PROPERTY, before);
            }
        }
    }
}
