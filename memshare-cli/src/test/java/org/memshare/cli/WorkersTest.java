package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The default shape of the ranking's workers: one JVM, one thread per core in all, never more threads than features. */
class WorkersTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void byDefaultOneWorkerJvmHasAThreadPerCore() {
        assertEquals(new Workers.Layout(1, CORES), Workers.Layout.defaults(10_000));
        assertEquals(new Workers.Layout(1, CORES), Workers.of(1, null, 10_000));
        assertEquals("1 worker JVM(s) with " + CORES + " thread(s) each", Workers.Layout.defaults(10_000).describe());
    }

    @Test
    void givenWorkerJvmsShareTheCores() {
        assertEquals(new Workers.Layout(CORES, 1), Workers.of(CORES, null, 10_000));
        assertEquals(new Workers.Layout(2 * CORES, 1), Workers.of(2 * CORES, null, 10_000));
        assertEquals(new Workers.Layout(2, 3), Workers.of(2, 3, 10_000));
    }

    @Test
    void noMoreThreadsThanFeatures() {
        assertEquals(new Workers.Layout(1, 1), Workers.of(null, 8, 1));
        assertEquals(new Workers.Layout(3, 1), Workers.of(4, 8, 3));
        assertEquals(new Workers.Layout(1, 3), Workers.of(1, 8, 3));
        assertEquals(new Workers.Layout(2, 2), Workers.of(2, 8, 3));
        assertEquals(Math.min(CORES, 2), Workers.threads(null, 2));
        assertEquals(5, Workers.threads(5, 100));
    }

    @Test
    void countsBelowOneAreUsageErrors() {
        UsageException workers = assertThrows(UsageException.class, () -> Workers.of(0, null, 10));
        assertTrue(workers.getMessage().contains("--workers must be at least 1: workers=0"), workers.getMessage());
        UsageException threads = assertThrows(UsageException.class, () -> Workers.of(null, -2, 10));
        assertTrue(threads.getMessage().contains("--threads-per-worker must be at least 1: threadsPerWorker=-2"),
            threads.getMessage());
        assertThrows(UsageException.class, () -> Workers.threads(0, 10));
        UsageException tooMany = assertThrows(UsageException.class, () -> Workers.of(1, 100_000, 1_000_000));
        assertTrue(tooMany.getMessage().contains("--threads-per-worker must be at most"), tooMany.getMessage());
    }
}
