package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.format.Shape;
import org.memshare.segment.internal.MappedSegment;
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
}
