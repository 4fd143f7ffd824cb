package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.SegmentFormatException;
import org.memshare.segment.Access;
import org.memshare.testing.TempShm;

/**
 * What a cheap release must keep: a released view is an exception on use from any thread, never a
 * crash; released memory is unmapped once the last view and the page are gone; nothing grows over
 * many retrieve + release cycles.
 */
class ViewReleaseTest {
    private static final int LENGTH = 100_000;

    @RegisterExtension
    final TempShm shm = new TempShm();
    private MemShare ms;

    @BeforeEach
    void open() {
        ms = shm.registry("ns");
    }

    private static double[] ramp() {
        double[] values = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            values[i] = i;
        }
        return values;
    }

    /**
     * Threads retrieve views into shared slots, read through whatever view a slot holds, and release
     * views other threads are reading, while the page is released and registered again so that idle
     * mappings are unmapped under the readers. Every read returns the right value or throws
     * {@link ViewReleasedException}; anything else fails the test, and a crash would end the JVM.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void useAfterReleaseFromAnotherThreadIsAnExceptionNeverACrash() throws Exception {
        ms.register("ns", "x", ramp());
        AtomicReferenceArray<VectorView> slots = new AtomicReferenceArray<>(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("retriever").start(guard(failure, () -> {
            while (System.nanoTime() < deadline) {
                int slot = ThreadLocalRandom.current().nextInt(slots.length());
                try {
                    VectorView old = slots.getAndSet(slot, ms.retrieveVector("ns", "x"));
                    if (old != null) {
                        old.close(); // often released by the releaser already: close is idempotent
                    }
                } catch (UnknownVariableException | SegmentFormatException e) {
                    Thread.onSpinWait(); // the page is being registered again (gone, or still pending)
                }
            }
        })));
        threads.add(Thread.ofPlatform().name("releaser").start(guard(failure, () -> {
            while (System.nanoTime() < deadline) {
                VectorView view = slots.get(ThreadLocalRandom.current().nextInt(slots.length()));
                if (view != null) {
                    view.close();
                }
            }
        })));
        threads.add(Thread.ofPlatform().name("re-registrar").start(guard(failure, () -> {
            while (System.nanoTime() < deadline) {
                ms.releaseVariables("ns", "x");
                ms.register("ns", "x", ramp());
                Thread.sleep(1);
            }
        })));
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().name("reader-" + r).start(guard(failure, () -> {
                while (System.nanoTime() < deadline) {
                    VectorView view = slots.get(ThreadLocalRandom.current().nextInt(slots.length()));
                    if (view == null) {
                        continue;
                    }
                    int i = ThreadLocalRandom.current().nextInt(LENGTH);
                    try {
                        double value = switch (i % 3) {
                            case 0 -> view.get(i);
                            case 1 -> view.toDoubleArray()[i];
                            default -> view.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                        };
                        assertEquals(i, value, 0.0);
                        reads.incrementAndGet();
                    } catch (ViewReleasedException e) {
                        refused.incrementAndGet();
                    } catch (IllegalStateException e) {
                        // A segment handed out by segment() reports its closed scope itself.
                        if (!view.isReleased()) {
                            throw e;
                        }
                        refused.incrementAndGet();
                    }
                }
            })));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("unexpected failure in a thread", failure.get());
        }
        for (int s = 0; s < slots.length(); s++) {
            VectorView view = slots.get(s);
            if (view != null) {
                view.close();
            }
        }
        assertTrue(reads.get() > 0, "reads succeeded: " + reads.get());
        assertTrue(refused.get() > 0, "uses after release were refused: " + refused.get());
        assertEquals(0, ms.viewCount("ns", "x"));
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable guard(AtomicReference<Throwable> failure, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
    }

    @Test
    void aReleasedViewThrowsInAnotherThreadAndItsSegmentIsClosed() throws Exception {
        ms.register("ns", "x", ramp());
        VectorView view = ms.retrieveVector("ns", "x");
        MemorySegment segment = view.segment();
        view.close();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                view.get(1);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        other.join();
        assertTrue(thrown.get() instanceof ViewReleasedException, String.valueOf(thrown.get()));
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_DOUBLE, 0));
        assertThrows(ViewReleasedException.class, view::segment);
    }

    @Test
    void releasedMemoryIsUnmappedOnceTheLastViewAndThePageAreGone() throws Exception {
        String file = "memshare.ns.x";
        ms.register("ns", "x", ramp());
        ms.retrieveVector("ns", "x").close();
        assertTrue(mappingsOf(file) <= 1, "a released view may leave its mapping idle for the next retrieve");
        ms.releaseVariables("ns", "x");
        assertEquals(0, mappingsOf(file), "page released and no view: unmapped at once");

        ms.register("ns", "x", ramp());
        VectorView held = ms.retrieveVector("ns", "x");
        ms.releaseVariables("ns", "x");
        assertEquals(1, mappingsOf(file), "a view is held: still mapped");
        held.close();
        assertEquals(0, mappingsOf(file), "the last view released after the page: unmapped at once");
    }

    @Test
    void anIdleMappingOfAPageWhoseFileWasUnlinkedElsewhereIsUnmappedAtTheNextRetrieve() throws Exception {
        String file = "memshare.ns.x";
        ms.register("ns", "x", ramp());
        ms.retrieveVector("ns", "x", Access.READ_WRITE).close();
        // As if another process had unlinked it (gc by another user, say): this registry was not told.
        ms.store().unlink(file);
        assertThrows(UnknownVariableException.class, () -> ms.retrieveVector("ns", "x", Access.READ_WRITE));
        assertEquals(0, mappingsOf(file));
        assertEquals(0, ms.mappingCount());
    }

    @Test
    void aViewOfAnotherProcesssVariableIsUnmappedWithItsLastRelease() throws Exception {
        // Written by the codec alone, as another process's registry would: not a page of this one.
        Page page = MemshareCodec.INSTANCE.create(ms.store(), new QualifiedName("ns", "x"),
            new Contents.Copy(Variable.vector(ramp())));
        try {
            VectorView view = ms.retrieveVector("ns", "x");
            assertEquals(1, mappingsOf("memshare.ns.x"));
            view.close();
            assertEquals(0, mappingsOf("memshare.ns.x"), "not our page: its owner may release it any time");
        } finally {
            page.unlink(ms.store());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void nothingGrowsOver100000Cycles() throws Exception {
        ms.register("ns", "x", ramp());
        for (int i = 0; i < 1_000; i++) {
            cycle(i);
        }
        long mapsBefore = lines(Path.of("/proc/self/maps"));
        long fdsBefore = entries(Path.of("/proc/self/fd"));
        for (int i = 0; i < 100_000; i++) {
            cycle(i);
        }
        assertEquals(0, ms.viewCount("ns", "x"));
        assertTrue(ms.viewList().isEmpty(), "no view is tracked");
        assertTrue(ms.mappingCount() <= 2, "one mapping per access at most: " + ms.mappingCount());
        // Other threads of the JVM may map or open a few things meanwhile; a leak would be thousands.
        assertTrue(lines(Path.of("/proc/self/maps")) <= mapsBefore + 16, "mappings do not grow");
        assertTrue(entries(Path.of("/proc/self/fd")) <= fdsBefore + 8, "file descriptors do not grow");
    }

    /** One retrieve, read and release; every tenth also hands out a segment, every seventh is writable. */
    private void cycle(int i) {
        Access access = i % 7 == 0 ? Access.READ_WRITE : Access.READ_ONLY;
        try (VectorView view = ms.retrieveVector("ns", "x", access)) {
            int index = i % LENGTH;
            if (view.get(index) != index) {
                throw new AssertionError("wrong value at " + index);
            }
            if (i % 10 == 0 && view.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, index) != index) {
                throw new AssertionError("wrong value through the segment at " + index);
            }
        }
    }

    private long mappingsOf(String segmentName) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains(shm.directory().resolve(segmentName).toString())).count();
        }
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static long entries(Path directory) throws IOException {
        try (Stream<String> names = Files.list(directory).map(Path::toString)) {
            return names.count();
        }
    }
}
