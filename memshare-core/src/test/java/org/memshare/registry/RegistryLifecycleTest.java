package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

/** Pages, views and their reference counts; several cases ported from R memshare's own tests. */
class RegistryLifecycleTest {
    @RegisterExtension
    final TempShm shm = new TempShm();
    private MemShare ms;

    @BeforeEach
    void open() {
        ms = shm.registry("ns");
    }

    @Test
    void pageListAndViewListContainThenNoLongerContainTheNames() {
        ms.registerVariables("ns", Map.of("mat", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}), "vec", new double[] {1, 2}));
        assertTrue(ms.pageList().containsAll(List.of("ns.mat", "ns.vec")));
        ms.retrieveViews("ns", "mat", "vec");
        assertTrue(ms.viewList().containsAll(List.of("ns.mat", "ns.vec")));
        ms.releaseViews("ns", "mat", "vec");
        assertFalse(ms.viewList().contains("ns.mat"));
        assertFalse(ms.viewList().contains("ns.vec"));
        ms.releaseVariables("ns", "mat", "vec");
        assertFalse(ms.pageList().contains("ns.mat"));
        assertFalse(ms.pageList().contains("ns.vec"));
    }

    @Test
    void retrieveMetadataCountsAsAViewThatMustBeReleased() {
        ms.register("ns", "mat", Variable.matrix(3, 4, new double[12]));
        Metadata md = ms.retrieveMetadata("ns", "mat").getFirst();
        assertEquals("matrix", md.kind().label());
        assertEquals(3, md.nrow());
        assertEquals(4, md.ncol());
        assertTrue(ms.viewList().contains("ns.mat"));
        ms.releaseViews("ns", "mat");
        assertFalse(ms.viewList().contains("ns.mat"));
    }

    @Test
    void registerReleaseRegisterAgainIsSilent() {
        ms.register("ns", "x", new double[] {1});
        ms.releaseVariables("ns", "x");
        ms.register("ns", "x", new double[] {2});
        try (VectorView x = ms.retrieveVector("ns", "x")) {
            assertEquals(2.0, x.get(0));
        }
    }

    @Test
    void viewTakenTwiceAndReleasedOnceIsStillValid() {
        ms.register("ns", "x", new double[] {1, 2, 3});
        VectorView first = ms.retrieveVector("ns", "x");
        VectorView second = ms.retrieveVector("ns", "x");
        assertEquals(2, ms.viewCount("ns", "x"));
        first.close();
        assertTrue(first.isReleased());
        assertFalse(second.isReleased());
        assertEquals(3.0, second.get(2));
        assertThrows(ViewReleasedException.class, () -> first.get(0));
        second.close();
        assertEquals(0, ms.viewCount("ns", "x"));
    }

    @Test
    void releasingByNameReleasesTheLatestViewAndTwiceIsAnError() {
        ms.register("ns", "x", new double[] {1});
        VectorView first = ms.retrieveVector("ns", "x");
        VectorView second = ms.retrieveVector("ns", "x");
        ms.releaseViews("ns", "x");
        assertTrue(second.isReleased());
        assertFalse(first.isReleased());
        ms.releaseViews("ns", "x");
        UnknownVariableException e = assertThrows(UnknownVariableException.class, () -> ms.releaseViews("ns", "x"));
        assertTrue(e.getMessage().contains("no view held"), e.getMessage());
        first.close(); // already released: close is idempotent for try-with-resources
    }

    @Test
    void releasingAPageTwiceIsAnError() {
        ms.register("ns", "x", new double[] {1});
        ms.releaseVariables("ns", "x");
        assertThrows(UnknownVariableException.class, () -> ms.releaseVariables("ns", "x"));
    }

    @Test
    void everyAccessAfterReleaseThrowsInsteadOfCrashing() {
        ms.register("ns", "m", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}));
        ms.register("ns", "l", List.of(new double[] {1}));
        MatrixView m = ms.retrieveMatrix("ns", "m");
        VectorView column = m.column(0);
        VectorView row = m.row(1);
        ListView l = ms.retrieveList("ns", "l");
        VectorView element = l.vector(0);
        m.close();
        l.close();
        assertThrows(ViewReleasedException.class, () -> m.get(0, 0));
        assertThrows(ViewReleasedException.class, () -> column.get(0));
        assertThrows(ViewReleasedException.class, () -> row.get(0));
        assertThrows(ViewReleasedException.class, () -> column.toDoubleArray());
        assertThrows(ViewReleasedException.class, () -> element.get(0));
        assertThrows(IllegalStateException.class, () -> column.segment().get(ValueLayout.JAVA_DOUBLE, 0));
        assertTrue(column.isReleased());
    }

    @Test
    void ownerReleaseRemovesTheNameButViewsKeepWorking() {
        ms.register("ns", "x", new double[] {4, 5});
        VectorView view = ms.retrieveVector("ns", "x");
        ms.releaseVariables("ns", "x");
        assertFalse(ms.exists("ns", "x"));
        assertThrows(UnknownVariableException.class, () -> ms.retrieveView("ns", "x"));
        assertEquals(5.0, view.get(1));
        view.close();
    }

    @Test
    void reRegisteredNameIsNotServedFromAStaleMapping() {
        ms.register("ns", "x", new double[] {1});
        VectorView old = ms.retrieveVector("ns", "x");
        ms.releaseVariables("ns", "x");
        ms.register("ns", "x", new double[] {2});
        try (VectorView fresh = ms.retrieveVector("ns", "x")) {
            assertEquals(2.0, fresh.get(0));
            assertEquals(1.0, old.get(0));
        }
        old.close();
    }

    @Test
    void releaseNamespaceDropsEveryViewAndPageOfThatNamespaceOnly() {
        ms.register("ns", "a", new double[] {1});
        ms.register("keep", "b", new double[] {2});
        VectorView a = ms.retrieveVector("ns", "a");
        VectorView b = ms.retrieveVector("keep", "b");
        ms.releaseNamespace("ns");
        assertTrue(a.isReleased());
        assertFalse(ms.exists("ns", "a"));
        assertEquals(2.0, b.get(0));
        assertEquals(List.of("keep.b"), ms.pageList());
        b.close();
        ms.releaseNamespace("keep");
        assertTrue(ms.pageList().isEmpty());
    }

    @Test
    void concurrentRetrieveAndReleaseKeepCountsExact() throws Exception {
        ms.register("ns", "x", new double[] {1, 2, 3});
        int threads = 4;
        Thread[] workers = new Thread[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        try (VectorView v = ms.retrieveVector("ns", "x")) {
                            assertEquals(6.0, v.sum());
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, ms.viewCount("ns", "x"));
        assertTrue(ms.viewList().isEmpty());
    }

    /** Lines of /proc/self/maps that map the segment file (deleted or not). */
    private long mappingsOf(String segmentName) throws Exception {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains(shm.directory().resolve(segmentName).toString())).count();
        }
    }

    @Test
    void memoryStaysMappedUntilTheOwnerAndEveryViewHaveLetGo() throws Exception {
        String file = "memshare.ns.kept";
        ms.register("ns", "kept", new double[100_000]);
        assertEquals(0, mappingsOf(file), "registration leaves no mapping behind");
        VectorView first = ms.retrieveVector("ns", "kept");
        VectorView second = ms.retrieveVector("ns", "kept");
        assertEquals(1, mappingsOf(file), "views of one variable share one mapping");
        ms.releaseVariables("ns", "kept");
        first.close();
        assertEquals(1, mappingsOf(file), "a view is left: the memory stays mapped");
        assertEquals(0.0, second.get(99_999));
        second.close();
        assertEquals(0, mappingsOf(file), "owner and every view let go: unmapped");
    }

    @Test
    void aTruncatedOrOverwrittenPageIsRefusedNotRead() throws Exception {
        ms.register("ns", "t", new double[] {1, 2, 3});
        ms.register("ns", "m", new double[] {1, 2, 3});
        // Held views keep the mappings, so the next retrieves reuse them: they must look again.
        VectorView heldT = ms.retrieveVector("ns", "t");
        VectorView heldM = ms.retrieveVector("ns", "m");
        try (FileChannel channel = FileChannel.open(
            shm.directory().resolve("memshare.ns.t"), StandardOpenOption.WRITE)) {
            channel.truncate(64);
        }
        org.memshare.format.SegmentFormatException truncated =
            assertThrows(org.memshare.format.SegmentFormatException.class, () -> ms.retrieveView("ns", "t"));
        assertTrue(truncated.getMessage().contains("changed size"), truncated.getMessage());
        try (FileChannel channel = FileChannel.open(
            shm.directory().resolve("memshare.ns.m"), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("GARBAGE!".getBytes(StandardCharsets.US_ASCII)), 0);
        }
        assertThrows(org.memshare.format.SegmentFormatException.class, () -> ms.retrieveView("ns", "m"));
        heldT.close();
        heldM.close();
        assertThrows(org.memshare.format.SegmentFormatException.class, () -> ms.retrieveView("ns", "t"), "a fresh mapping refuses it too");
    }
}
