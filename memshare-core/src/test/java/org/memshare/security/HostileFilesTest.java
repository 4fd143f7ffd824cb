package org.memshare.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.SegmentFormatException;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;
import org.memshare.segment.UntrustedSegmentException;
import org.memshare.testing.OtherUser;
import org.memshare.testing.TempShm;

/**
 * Files planted under a segment's name in a real tmpfs directory: each is refused at once with the
 * path and the reason, listed by the census as foreign or not-a-segment, and never touched by gc.
 */
class HostileFilesTest {
    private static final Duration GUARD = Duration.ofSeconds(20);

    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare memShare;

    @BeforeEach
    void setUp() {
        memShare = shm.registry("ns");
    }

    private Path planted(String variable) {
        return shm.directory().resolve("memshare.ns." + variable);
    }

    /** A copy of a real, valid segment under another name: only who owns it or how it is reached differs. */
    private Path validCopy(String variable) throws IOException {
        memShare.register("ns", "original", new double[] {1, 2, 3});
        Path copy = planted(variable);
        Files.copy(planted("original"), copy);
        memShare.releaseVariables("ns", "original");
        return copy;
    }

    private UntrustedSegmentException refused(String variable, Access access) {
        return assertTimeoutPreemptively(GUARD, () -> assertThrows(UntrustedSegmentException.class,
            () -> memShare.retrieveView("ns", variable, access)));
    }

    private SegmentCensus.Entry listed(String variable) {
        List<SegmentCensus.Entry> entries = assertTimeoutPreemptively(GUARD, () -> memShare.census().list());
        return entries.stream().filter(e -> e.name().variable().equals(variable)).findFirst()
            .orElseThrow(() -> new AssertionError("not listed: " + variable + " in " + entries));
    }

    private void assertGcLeaves(Path file, String reasonPart) {
        SegmentCensus.Report report = assertTimeoutPreemptively(GUARD, () -> memShare.census().reclaim(false));
        assertTrue(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "gc must not touch " + file);
        assertEquals(List.of(), report.reclaimed());
        assertTrue(report.complete(), "a refused entry is not a failure of gc: " + report);
        assertEquals(1, report.skipped().size(), report.toString());
        assertTrue(report.skipped().getFirst().reason().contains(reasonPart), report.toString());
    }

    @Test
    void fifo_isRefusedAtOnce_listedAsNotASegment_neverTouched() throws Exception {
        Path fifo = planted("f");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);

        UntrustedSegmentException e = refused("f", Access.READ_ONLY);
        assertEquals(UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE, e.reason());
        assertEquals(FileStatus.Type.FIFO, e.type());
        assertEquals("refusing to map " + fifo + ": a FIFO (named pipe), not a regular file", e.getMessage());
        refused("f", Access.READ_WRITE);

        SegmentCensus.Entry entry = listed("f");
        assertEquals(SegmentCensus.State.NOT_A_SEGMENT, entry.state());
        assertFalse(entry.isOrphan());
        assertGcLeaves(fifo, "not-a-segment: a FIFO (named pipe)");
        // Registering the name says why it is taken instead of hanging on the FIFO.
        AlreadyRegisteredException taken = assertTimeoutPreemptively(GUARD, () -> assertThrows(
            AlreadyRegisteredException.class, () -> memShare.register("ns", "f", new double[] {1})));
        assertTrue(taken.getMessage().contains("existing file refused: a FIFO"), taken.getMessage());
    }

    @Test
    void symlinkToAValidSegment_isNotFollowed() throws Exception {
        Path target = validCopy("target");
        Path link = Files.createSymbolicLink(planted("l"), target);

        UntrustedSegmentException e = refused("l", Access.READ_ONLY);
        assertEquals(FileStatus.Type.SYMBOLIC_LINK, e.type());
        assertEquals("refusing to map " + link + ": a symbolic link, not a regular file (links are never followed)",
            e.getMessage());
        assertEquals(SegmentCensus.State.NOT_A_SEGMENT, listed("l").state());
        Files.delete(target);
        assertGcLeaves(link, "symbolic link");
    }

    @Test
    void directoryAndSocket_areRefusedAsWhatTheyAre() throws Exception {
        Path directory = Files.createDirectory(planted("d"));
        UntrustedSegmentException e = refused("d", Access.READ_ONLY);
        assertEquals(FileStatus.Type.DIRECTORY, e.type());
        assertTrue(e.getMessage().endsWith(": a directory, not a regular file"), e.getMessage());
        assertEquals(FileStatus.Type.DIRECTORY, refused("d", Access.READ_WRITE).type());
        assertEquals(SegmentCensus.State.NOT_A_SEGMENT, listed("d").state());

        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(planted("s")));
            assertEquals(FileStatus.Type.SOCKET, refused("s", Access.READ_ONLY).type());
            assertEquals(SegmentCensus.State.NOT_A_SEGMENT, listed("s").state());
        }
        Files.delete(planted("s"));
        assertGcLeaves(directory, "a directory");
    }

    @Test
    void characterDevice_isRefusedWithoutBeingRead() throws Exception {
        OtherUser.require(); // creating a device node needs root
        Path device = planted("c");
        Process mknod = new ProcessBuilder("mknod", device.toString(), "c", "1", "3").start(); // like /dev/null
        assertTrue(mknod.waitFor(10, TimeUnit.SECONDS) && mknod.exitValue() == 0, "mknod failed");
        assertEquals(FileStatus.Type.CHARACTER_DEVICE, refused("c", Access.READ_ONLY).type());
        assertEquals(FileStatus.Type.CHARACTER_DEVICE, refused("c", Access.READ_WRITE).type());
        assertEquals(SegmentCensus.State.NOT_A_SEGMENT, listed("c").state());
        assertGcLeaves(device, "not-a-segment: a character device, not a regular file");
    }

    @Test
    void fileThatOthersMayWrite_isForeign_butTheUsualUmaskIsAccepted() throws Exception {
        Path shared = validCopy("w");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-rw-"));
        UntrustedSegmentException e = refused("w", Access.READ_ONLY);
        assertEquals(UntrustedSegmentException.Reason.WRITABLE_BY_OTHERS, e.reason());
        assertTrue(e.getMessage().endsWith("writable by group or others (mode=0666)"), e.getMessage());
        assertEquals(SegmentCensus.State.FOREIGN, listed("w").state());

        // R memshare creates its objects 0666 less the umask: 0644 stays readable.
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(6.0, memShare.retrieveVector("ns", "w").sum());
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        assertGcLeaves(shared, "writable by group or others (mode=0664)");
    }

    @Test
    void anotherUsersValidSegment_isForeign_forReadWriteAndRegistration() throws Exception {
        long uid = OtherUser.require();
        Path foreign = validCopy("o");
        OtherUser.chown(foreign);

        UntrustedSegmentException e = refused("o", Access.READ_ONLY);
        assertEquals(UntrustedSegmentException.Reason.OTHER_OWNER, e.reason());
        assertEquals("refusing to map " + foreign + ": owned by another user (uid=" + uid
            + ", this process runs as uid=0)", e.getMessage());
        refused("o", Access.READ_WRITE);
        SegmentCensus.Entry entry = listed("o");
        assertEquals(SegmentCensus.State.FOREIGN, entry.state());
        assertFalse(entry.ownerAlive());
        assertFalse(entry.isOrphan());
        AlreadyRegisteredException taken = assertThrows(AlreadyRegisteredException.class,
            () -> memShare.register("ns", "o", new double[] {1}));
        assertTrue(taken.getMessage().contains("existing file refused: owned by another user (uid=" + uid), taken.getMessage());
        assertGcLeaves(foreign, "foreign: owned by another user (uid=" + uid);
    }

    @Test
    void emptyFile_isAFormatError_andListedAsIncomplete() throws Exception {
        Files.createFile(planted("e"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> memShare.retrieveView("ns", "e"));
        assertTrue(e.getMessage().contains("ns.e"), e.getMessage());
        // Just created: its registrant may be writing the header, so gc leaves it.
        assertEquals(List.of("memshare.ns.e incomplete"),
            memShare.census().list().stream().map(x -> x.segmentName() + " " + x.state().label()).toList());
        assertEquals(List.of(), memShare.census().reclaimOrphans(false));
    }

    @Test
    void listingNeverFails_withEveryKindPlantedAtOnce() throws Exception {
        new ProcessBuilder("mkfifo", planted("f").toString()).start().waitFor(10, TimeUnit.SECONDS);
        Files.createDirectory(planted("d"));
        Files.createSymbolicLink(planted("l"), Path.of("/dev/zero"));
        Files.createFile(planted("e"));
        memShare.register("ns", "good", new double[] {1, 2});
        Map<String, SegmentCensus.State> states = new TreeMap<>();
        for (SegmentCensus.Entry entry : assertTimeoutPreemptively(GUARD, () -> memShare.census().list())) {
            states.put(entry.name().variable(), entry.state());
        }
        assertEquals(Map.of("d", SegmentCensus.State.NOT_A_SEGMENT, "f", SegmentCensus.State.NOT_A_SEGMENT,
            "l", SegmentCensus.State.NOT_A_SEGMENT, "e", SegmentCensus.State.INCOMPLETE, "good", SegmentCensus.State.READY), states);
        assertEquals(3.0, memShare.retrieveVector("ns", "good").sum());
    }
}
