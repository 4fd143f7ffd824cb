package org.memshare.multiprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.TempShm;

/** Real child JVMs viewing, racing for and orphaning segments in real /dev/shm. */
class MultiProcessTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private String dir() {
        return shm.directory().toString();
    }

    @Test
    void childViewsTheParentsMatrixAndReturnsExactColumnSums() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        int nrow = 1000;
        int ncol = 7;
        double[] values = new double[nrow * ncol];
        StringJoiner expected = new StringJoiner(",");
        for (int j = 0; j < ncol; j++) {
            double sum = 0;
            for (int i = 0; i < nrow; i++) {
                values[i + j * nrow] = (i * 31 + j * 17) % 101 / 7.0;
                sum += values[i + j * nrow];
            }
            expected.add(Double.toString(sum));
        }
        ms.register("mp", "X", Variable.matrix(nrow, ncol, values));
        try (ChildJvm child = ChildJvm.start(Child.class, "colsums", dir(), "mp", "X")) {
            assertEquals(expected.toString(), child.readLine());
            assertEquals(0, child.waitFor());
        } finally {
            ms.releaseNamespace("mp");
        }
    }

    @Test
    void ownerReleaseLeavesTheChildsViewWorkingButBlocksNewViews() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        ms.register("mp", "y", new double[] {1, 2, 3, 4});
        try (ChildJvm child = ChildJvm.start(Child.class, "hold-view", dir(), "mp", "y")) {
            assertEquals("ready", child.readLine());
            ms.releaseVariables("mp", "y");
            assertFalse(ms.exists("mp", "y"));
            child.writeLine("sum");
            assertEquals("10.0", child.readLine());
            child.writeLine("retrieve");
            assertEquals("UnknownVariableException", child.readLine());
            child.closeInput();
            assertEquals(0, child.waitFor());
        } finally {
            ms.releaseNamespace("mp");
        }
    }

    @Test
    void ownerKilledWithSigkillLeavesAnOrphanThatGcReclaims() throws Exception {
        MemShare ms = MemShare.forDirectory(shm.directory());
        ms.register("mp", "alive", new double[] {1});
        Files.writeString(shm.directory().resolve("memshare.mp.foreign"), "not ours, same prefix");
        Files.writeString(shm.directory().resolve("unrelated"), "not ours at all");
        try (ChildJvm child = ChildJvm.start(Child.class, "register", dir(), "mp", "orphan", "1000")) {
            assertEquals("registered", child.readLine());
            SegmentCensus census = ms.census();
            assertTrue(census.orphans().isEmpty(), "the owner still lives");
            child.kill();
            List<SegmentCensus.Entry> orphans = census.orphans();
            assertEquals(1, orphans.size());
            assertEquals("mp.orphan", orphans.getFirst().name().toString());
            assertEquals(child.pid(), orphans.getFirst().owner().pid());
            assertEquals(1, census.reclaimOrphans(true).size());
            assertTrue(ms.exists("mp", "orphan"), "a dry run reclaims nothing");
            assertEquals(1, census.reclaimOrphans(false).size());
            assertFalse(ms.exists("mp", "orphan"));
            assertTrue(ms.exists("mp", "alive"), "segments of a live owner stay");
            assertTrue(Files.exists(shm.directory().resolve("memshare.mp.foreign")), "foreign files stay");
            assertTrue(Files.exists(shm.directory().resolve("unrelated")));
        } finally {
            ms.releaseNamespace("mp");
        }
    }

    @Test
    void aRegistrationKilledWhileWritingOrReservingLeavesAnOrphanThatGcReclaims() throws Exception {
        MemShare ms = MemShare.forDirectory(shm.directory());
        try (ChildJvm writing = ChildJvm.start(Child.class, "register-in-place", dir(), "mp", "halfway", "100000")) {
            assertEquals("writing", writing.readLine());
            writing.kill();
        }
        // A large one killed while its pages are still being reserved: at once when the file says whose
        // it is (its first bytes, written before the size is set and the pages reserved, make it non-empty).
        Path big = shm.directory().resolve("memshare.mp.reserving");
        try (ChildJvm reserving = ChildJvm.start(Child.class, "register-in-place", dir(), "mp", "reserving",
            Long.toString(3L << 30))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(big) && Files.size(big) > 0)) {
                assertTrue(reserving.process().isAlive() && System.nanoTime() < deadline,
                    "the registration never wrote its file's first bytes");
                Thread.sleep(1);
            }
            reserving.kill();
        }
        assertTrue(Files.exists(big), "the killed registration left its file");
        List<SegmentCensus.Entry> orphans = ms.census().orphans();
        assertEquals(List.of("mp.halfway", "mp.reserving"), orphans.stream().map(e -> e.name().toString()).sorted().toList());
        assertTrue(orphans.stream().allMatch(e -> e.state() == SegmentCensus.State.PENDING), orphans.toString());
        assertEquals(2, ms.census().reclaimOrphans(false).size());
        assertFalse(Files.exists(big));
        ms.register("mp", "reserving", new double[] {1}); // the name is free again
        ms.releaseNamespace("mp");
    }

    @Test
    void normalExitReleasesPagesThroughTheShutdownHook() {
        try (ChildJvm child = ChildJvm.start(Child.class, "register", dir(), "mp", "exiting", "10")) {
            assertEquals("registered", child.readLine());
            MemShare ms = MemShare.forDirectory(shm.directory());
            assertTrue(ms.exists("mp", "exiting"));
            assertEquals("rw-------", permissions("memshare.mp.exiting"));
            child.closeInput();
            assertEquals(0, child.waitFor());
            assertFalse(ms.exists("mp", "exiting"));
        }
    }

    @Test
    void twoProcessesRacingForOneNameGiveExactlyOneWinner() {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(ChildJvm.start(Child.class, "race", dir(), "mp", "contested"));
            }
            // Both JVMs up (however long that takes on a busy machine), then one start time for both.
            for (ChildJvm child : children) {
                assertEquals("ready", child.readLine());
            }
            long startAt = System.currentTimeMillis() + 100;
            for (ChildJvm child : children) {
                child.writeLine(Long.toString(startAt));
            }
            List<String> answers = new ArrayList<>();
            for (ChildJvm child : children) {
                answers.add(child.readLine());
            }
            assertEquals(1, answers.stream().filter("won"::equals).count(), answers.toString());
            String loser = answers.stream().filter(a -> a.startsWith("lost")).findFirst().orElseThrow();
            assertTrue(loser.contains("already registered") && loser.contains("variable=mp.contested"), loser);
            try (VectorView winner = MemShare.forDirectory(shm.directory()).retrieveVector("mp", "contested")) {
                long winnerPid = (long) winner.get(0);
                assertTrue(children.stream().anyMatch(c -> c.pid() == winnerPid));
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    private String permissions(String file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(shm.directory().resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
