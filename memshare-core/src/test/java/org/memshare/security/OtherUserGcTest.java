package org.memshare.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.multiprocess.Child;
import org.memshare.registry.MemShare;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.OtherUser;
import org.memshare.testing.TempShm;

/**
 * {@code gc} run by an unprivileged user in a directory shared with root: it reclaims that user's
 * orphans and reports, with the reason, every entry it may not touch (root's orphan and root's live
 * segment, root's file left without a header), instead of stopping at the first; the user's own
 * headerless file, long unchanged, it reclaims. Runs as root only (CI does), with a second real user.
 */
@Timeout(120)
class OtherUserGcTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    /** A registration by a JVM that is then killed with SIGKILL: an orphan of whoever ran it. */
    private ChildJvm orphan(boolean asOtherUser, String variable) {
        String[] args = {"register", shm.directory().toString(), "ns", variable, "10"};
        ChildJvm owner = asOtherUser ? ChildJvm.startAsOtherUser(Map.of(), Child.class, args) : ChildJvm.start(Child.class, args);
        assertEquals("registered", owner.readLine());
        owner.kill();
        return owner;
    }

    private Path headerless(String variable) throws IOException {
        Path file = Files.createFile(shm.directory().resolve("memshare.ns." + variable),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return file;
    }

    @Test
    void unprivilegedGc_reclaimsItsOwnOrphans_andReportsEveryEntryItMayNotTouch() throws IOException {
        long uid = OtherUser.require();
        OtherUser.shareDirectory(shm.directory());
        orphan(false, "a-root-orphan");
        orphan(true, "b-user-orphan");
        orphan(true, "c-user-orphan");
        MemShare root = MemShare.forDirectory(shm.directory());
        root.register("ns", "d-root-live", new double[] {1});
        Path userOrphan = shm.directory().resolve("memshare.ns.b-user-orphan");
        assertTrue(Files.exists(userOrphan));
        // Files a registrant killed before writing the header leaves, long unchanged: root's and the user's.
        Path rootEmpty = headerless("e-root-empty");
        Path userEmpty = headerless("f-user-empty");
        OtherUser.chown(userEmpty);
        Files.setLastModifiedTime(userEmpty, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        String report;
        try (ChildJvm gc = ChildJvm.startAsOtherUser(Map.of(), Child.class, "gc", shm.directory().toString(), "-", "-")) {
            report = gc.readRest();
            assertEquals(0, gc.waitFor(), report);
        }
        String foreign = "foreign: owned by another user (uid=0, this process runs as uid=" + uid + ")";
        assertEquals(List.of(
            "reclaimed memshare.ns.b-user-orphan",
            "reclaimed memshare.ns.c-user-orphan",
            "reclaimed memshare.ns.f-user-empty",
            "skipped memshare.ns.a-root-orphan own=false " + foreign,
            "skipped memshare.ns.d-root-live own=false " + foreign,
            "skipped memshare.ns.e-root-empty own=false " + foreign,
            "complete=true"), report.lines().toList());
        assertFalse(Files.exists(userOrphan));
        assertFalse(Files.exists(userEmpty));
        assertTrue(Files.exists(rootEmpty), "root's empty file is root's to reclaim");
        assertTrue(root.exists("ns", "a-root-orphan"), "root's orphan is root's to reclaim");
        assertTrue(root.exists("ns", "d-root-live"));
        // Root's own gc then reclaims root's orphan, and never the live segment.
        assertEquals(List.of("ns.a-root-orphan", "ns.e-root-empty"),
            root.census().reclaimOrphans(false).stream().map(e -> e.name().toString()).toList());
        root.releaseNamespace("ns");
    }
}
