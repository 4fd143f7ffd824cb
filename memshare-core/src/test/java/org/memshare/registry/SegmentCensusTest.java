package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.format.Shape;
import org.memshare.segment.internal.MappedSegment;
import org.memshare.segment.Access;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.internal.SegmentStore;
import org.memshare.testing.TempShm;

class SegmentCensusTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private static ProcessIdentity deadProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return new ProcessIdentity(p.pid(), 12345);
    }

    private void writeSegment(String name, ProcessIdentity owner, boolean publish) {
        SegmentHeader header = SegmentLayout.plan(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 4)), owner, 0);
        try (MappedSegment s = SegmentStore.forDirectory(shm.directory()).create(name, header.totalBytes())) {
            SegmentLayout.writePending(s.segment(), header);
            if (publish) {
                SegmentLayout.publish(s.segment());
            }
        }
    }

    @Test
    void listsLiveSegmentsWithShapeAndOwner() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        ms.register("c", "m", Variable.matrix(2, 3, new double[6]));
        List<SegmentCensus.Entry> entries = ms.census().list();
        assertEquals(1, entries.size());
        SegmentCensus.Entry e = entries.getFirst();
        assertEquals("c.m", e.name().toString());
        assertEquals(Kind.MATRIX, e.kind());
        assertEquals(ElementType.DOUBLE, e.elementType());
        assertEquals(List.of(2L, 3L), e.shape());
        assertEquals(SegmentLayout.HEADER_BYTES + 48, e.bytes());
        assertEquals(ProcessHandle.current().pid(), e.owner().pid());
        assertTrue(e.ownerAlive());
        assertEquals(SegmentCensus.State.READY, e.state());
        ms.releaseNamespace("c");
    }

    @Test
    void crashedRegistrationIsAPendingOrphanAndPidReuseCountsAsDead() throws Exception {
        writeSegment("memshare.c.crashed", deadProcess(), false);
        ProcessIdentity me = ProcessIdentity.current();
        writeSegment("memshare.c.reused", new ProcessIdentity(me.pid(), me.startTicks() + 99), true);
        writeSegment("memshare.c.mine", me, true);
        MemShare ms = MemShare.forDirectory(shm.directory());
        List<SegmentCensus.Entry> orphans = ms.census().orphans();
        assertEquals(List.of("c.crashed", "c.reused"), orphans.stream().map(o -> o.name().toString()).toList());
        assertEquals(SegmentCensus.State.PENDING, orphans.getFirst().state());
        List<SegmentCensus.Entry> reclaimed = ms.census().reclaimOrphans(false);
        assertEquals(2, reclaimed.size());
        assertFalse(ms.exists("c", "crashed"));
        assertFalse(ms.exists("c", "reused"));
        assertTrue(ms.exists("c", "mine"));
        ms.store().unlink("memshare.c.mine");
    }
    @Test
    void entryOfOneVariableTellsPendingFromReadyAndWhoseItIs() throws Exception {
        writeSegment("memshare.c.crashed", deadProcess(), false);
        MemShare ms = shm.registry("c");
        ms.register("c", "live", new double[] {1, 2});
        SegmentCensus census = ms.census();
        SegmentCensus.Entry live = census.entry(new QualifiedName("c", "live"), StorageLayout.MEMSHARE).orElseThrow();
        assertEquals(SegmentCensus.State.READY, live.state());
        assertTrue(live.ownerAlive());
        SegmentCensus.Entry crashed = census.entry(new QualifiedName("c", "crashed"), StorageLayout.MEMSHARE).orElseThrow();
        assertEquals(SegmentCensus.State.PENDING, crashed.state());
        assertTrue(crashed.isOrphan());
        assertTrue(census.entry(new QualifiedName("c", "absent"), StorageLayout.MEMSHARE).isEmpty());
        assertTrue(census.entry(new QualifiedName("c", "live"), StorageLayout.R_MEMSHARE).isEmpty());

        // One orphan reclaimed on its own; a live segment never.
        assertFalse(census.reclaim(live));
        assertTrue(census.reclaim(crashed));
        assertFalse(census.reclaim(crashed), "gone already");
        assertTrue(ms.exists("c", "live"));
    }

    @Test
    void anOrphanRegisteredAgainMeanwhileIsNotReclaimed() throws Exception {
        writeSegment("memshare.c.x", deadProcess(), true);
        MemShare ms = shm.registry("c");
        SegmentCensus.Entry seen = ms.census().entry(new QualifiedName("c", "x"), StorageLayout.MEMSHARE).orElseThrow();
        ms.store().unlink("memshare.c.x");
        ms.register("c", "x", new double[] {3});       // a live process took the name since
        assertFalse(ms.census().reclaim(seen));
        assertTrue(ms.exists("c", "x"));
    }

    @Test
    void removeUnlinksEveryFileOfAVariableWhoeverRegisteredIt() {
        MemShare ms = shm.registry("c");
        ms.register("c", "m", new double[] {1, 2});
        ms.registerVariables("c", Map.of("r", new double[] {1, 2}), StorageLayout.R_MEMSHARE);
        SegmentCensus census = ms.census();
        try (VectorView view = ms.retrieveVector("c", "m")) {
            assertTrue(census.remove(census.entry(new QualifiedName("c", "m"), StorageLayout.MEMSHARE).orElseThrow()));
            assertTrue(census.remove(census.entry(new QualifiedName("c", "r"), StorageLayout.R_MEMSHARE).orElseThrow()));
            assertEquals(List.of(), census.list());
            assertEquals(2.0, view.get(1), "a view keeps its mapping");
        }
        ms.releaseNamespace("c"); // the pages' files are gone: nothing else is touched
        assertEquals(List.of(), ms.store().list());
    }

    @Test
    void aViewIsCurrentUntilItsVariableIsReleasedOrRegisteredAgain() {
        MemShare ms = shm.registry("c");
        ms.register("c", "v", new double[] {1, 2});
        try (VectorView view = ms.retrieveVector("c", "v")) {
            assertTrue(view.isCurrent());
            ms.releaseVariables("c", "v");
            assertFalse(view.isCurrent(), "released");
            ms.register("c", "v", new double[] {5, 6});
            assertFalse(view.isCurrent(), "registered again: another file");
            try (VectorView again = ms.retrieveVector("c", "v")) {
                assertTrue(again.isCurrent());
            }
        }
    }

    @Test
    void aMatrixViewTellsWhereItsDataStartsInTheFile() throws Exception {
        MemShare ms = shm.registry("c");
        ms.register("c", "m", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}));
        ms.registerVariables("c", Map.of("r", Variable.matrix(2, 2, new double[] {5, 6, 7, 8})), StorageLayout.R_MEMSHARE);
        try (MatrixView m = ms.retrieveMatrix("c", "m");
             MatrixView r = (MatrixView) ms.retrieveView("c", "r", Access.READ_ONLY, StorageLayout.R_MEMSHARE)) {
            assertEquals(SegmentLayout.HEADER_BYTES, m.dataOffset());
            assertEquals(0, r.dataOffset());
            ByteBuffer third = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel file = FileChannel.open(shm.directory().resolve("memshare.c.m"))) {
                file.read(third, m.dataOffset() + 2 * Double.BYTES);
            }
            assertEquals(3.0, third.getDouble(0));
        }
    }
}
