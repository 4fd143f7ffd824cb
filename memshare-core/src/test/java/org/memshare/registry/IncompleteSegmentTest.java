package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.Shape;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.segment.ProcessIdentity;
import org.memshare.testing.TempShm;

/**
 * A registrant killed between creating its segment file and writing the header leaves a file of this
 * user that is empty or shorter than a header. The census lists it as {@code incomplete}; {@code gc}
 * reclaims it once it has stayed so for longer than the grace period, keeps a younger one and one that
 * got its header meanwhile. Real files in the configured store's directory (both stores run this).
 * The killed registrant is simulated by the file state it leaves: the window between the exclusive
 * create and the header write cannot be hit deterministically from outside.
 */
@Timeout(60)
class IncompleteSegmentTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    /** A file of this user, mode 0600, with {@code bytes} bytes, last changed {@code ageSeconds} ago. */
    private Path leftover(String variable, int bytes, long ageSeconds) throws Exception {
        Path file = Files.createFile(shm.directory().resolve("memshare.inc." + variable),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - ageSeconds * 1000));
        return file;
    }

    private static long stale() {
        return SegmentCensus.INCOMPLETE_GRACE.toSeconds() * 4;
    }

    @Test
    void emptyAndShortFilesOlderThanTheGrace_areListedAndReclaimed_andTheNameIsFreeAgain() throws Exception {
        Path empty = leftover("empty", 0, stale());
        Path shortFile = leftover("short", 3, stale());
        MemShare ms = shm.registry("inc");
        List<SegmentCensus.Entry> entries = ms.census().list();
        assertEquals(List.of("memshare.inc.empty incomplete 0", "memshare.inc.short incomplete 3"),
            entries.stream().map(e -> e.segmentName() + " " + e.state().label() + " " + e.bytes()).toList());
        for (SegmentCensus.Entry e : entries) {
            assertFalse(e.ownerKnown(), "no header, no owner");
            assertTrue(e.isOrphan());
            assertNull(e.kind());
            assertTrue(e.reason().startsWith("no header: "), e.reason());
        }
        assertEquals(2, ms.census().reclaim(true).reclaimed().size(), "a dry run reclaims nothing");
        assertTrue(Files.exists(empty));
        SegmentCensus.Report report = ms.census().reclaim(false);
        assertEquals(List.of("inc.empty", "inc.short"), report.reclaimed().stream().map(e -> e.name().toString()).toList());
        assertTrue(report.complete());
        assertFalse(Files.exists(empty));
        assertFalse(Files.exists(shortFile));
        ms.register("inc", "empty", new double[] {1, 2});
        assertEquals(SegmentCensus.State.READY, ms.census().entry(new QualifiedName("inc", "empty"), StorageLayout.MEMSHARE)
            .orElseThrow().state());
    }

    @Test
    void aFileYoungerThanTheGrace_isListedButKept_andRegisteringItsNameSaysWhy() throws Exception {
        Path fresh = leftover("fresh", 0, 0);
        MemShare ms = shm.registry("inc");
        SegmentCensus.Entry entry = ms.census().list().getFirst();
        assertEquals(SegmentCensus.State.INCOMPLETE, entry.state());
        assertFalse(entry.isOrphan());
        assertTrue(entry.reason().startsWith("no header yet: 0 bytes"), entry.reason());
        SegmentCensus.Report report = ms.census().reclaim(false);
        assertEquals(List.of(), report.reclaimed());
        assertEquals(1, report.skipped().size());
        assertFalse(report.skipped().getFirst().ownOrphan(), "left, not a failure");
        assertTrue(report.complete());
        assertFalse(ms.census().reclaim(entry));
        assertTrue(Files.exists(fresh));
        AlreadyRegisteredException e = assertThrows(AlreadyRegisteredException.class,
            () -> ms.register("inc", "fresh", new double[] {1}));
        assertTrue(e.getMessage().contains("existing file has no header (0 bytes"), e.getMessage());
    }

    @Test
    void aFileThatGetsItsHeaderBetweenListingAndReclaim_isKept() throws Exception {
        Path file = leftover("late", 0, stale());
        MemShare ms = shm.registry("inc");
        SegmentCensus.Entry listed = ms.census().list().getFirst();
        assertTrue(listed.isOrphan());
        // The registrant, merely slow, writes its pending header into the same file now.
        SegmentHeader header = SegmentLayout.plan(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 1)),
            ProcessIdentity.current(), 0);
        MemorySegment pending = MemorySegment.ofArray(new byte[(int) header.totalBytes()]);
        SegmentLayout.writePending(pending, header);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(pending.toArray(ValueLayout.JAVA_BYTE)), 0);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - stale() * 1000));
        assertFalse(ms.census().reclaim(listed), "got its header: no longer the incomplete file listed");
        assertTrue(Files.exists(file));
        SegmentCensus.Entry now = ms.census().list().getFirst();
        assertEquals(SegmentCensus.State.PENDING, now.state());
        assertTrue(now.ownerAlive());
        assertEquals(List.of(), ms.census().reclaim(false).reclaimed());
        assertTrue(Files.exists(file));
    }

    @Test
    void anotherUsersEmptyFile_isForeignAndUntouched() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root, "needs root to make a file of another user");
        Path file = leftover("theirs", 0, stale());
        assertEquals(0, new ProcessBuilder("chown", "65534", file.toString()).start().waitFor());
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - stale() * 1000));
        MemShare ms = shm.registry("inc");
        assertEquals(SegmentCensus.State.FOREIGN, ms.census().list().getFirst().state());
        SegmentCensus.Report report = ms.census().reclaim(false);
        assertEquals(List.of(), report.reclaimed());
        assertTrue(report.complete());
        assertTrue(Files.exists(file));
    }
}
