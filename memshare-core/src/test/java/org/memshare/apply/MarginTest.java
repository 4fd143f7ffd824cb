package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/** Rows really are rows, columns columns, and both cluster kinds agree exactly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarginTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void rowsAndColumnsOfANonSquareMatrixAgreeOnThreadsAndTwoProcesses() {
        double[][] x = Fixtures.randomRows(37, 23, 5);
        MemShare registry = MemShare.forDirectory(shm.directory());
        List<Double> expectedRows = new ArrayList<>();
        for (double[] row : x) {
            expectedRows.add(Fixtures.weighted(row));
        }
        List<Double> expectedColumns = new ArrayList<>();
        for (int j = 0; j < 23; j++) {
            expectedColumns.add(Fixtures.weighted(Fixtures.column(x, j)));
        }
        try (Cluster threads = Cluster.threads(2, registry); Cluster processes = Cluster.processes(2, registry)) {
            for (Cluster cluster : List.of(threads, processes)) {
                List<Double> rows = Apply.memApply(x).rows().cluster(cluster).run((row, vars) -> Fixtures.weighted(row));
                List<Double> columns = Apply.memApply(x).columns().cluster(cluster).run((c, vars) -> Fixtures.weighted(c));
                List<Long> lengths = Apply.memApply(x).rows().cluster(cluster).run((row, vars) -> row.length());
                assertEquals(expectedRows, rows, cluster.toString());
                assertEquals(expectedColumns, columns, cluster.toString());
                assertEquals(37, lengths.size());
                assertTrue(lengths.stream().allMatch(n -> n == 23), "a row has ncol elements");
            }
        }
        assertEquals(List.of(), Fixtures.files(shm.directory()));
    }

    @Test
    void rowViewsAreStridedAndZeroCopy() {
        double[][] x = Fixtures.randomRows(4, 3, 9);
        try (Cluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()))) {
            List<Boolean> contiguous = Apply.memApply(x).rows().cluster(cluster).run((row, vars) -> row.isContiguous());
            List<Boolean> columns = Apply.memApply(x).columns().cluster(cluster).run((c, vars) -> c.isContiguous());
            assertEquals(List.of(false, false, false, false), contiguous);
            assertEquals(List.of(true, true, true), columns);
        }
    }

    @Test
    void progressIsReportedInOrderUpToTheTotal() {
        double[][] x = Fixtures.randomRows(3, 100, 3);
        List<long[]> seen = new CopyOnWriteArrayList<>();
        try (Cluster cluster = Cluster.processes(2, MemShare.forDirectory(shm.directory()))) {
            Apply.memApply(x).cluster(cluster).progress((done, total) -> seen.add(new long[] {done, total}))
                .run((c, vars) -> c.sum());
        }
        assertEquals(0, seen.getFirst()[0]);
        assertEquals(100, seen.getLast()[0]);
        assertTrue(seen.size() > 2, "progress per chunk, not only at the end: " + seen.size());
        for (int k = 1; k < seen.size(); k++) {
            assertTrue(seen.get(k)[0] > seen.get(k - 1)[0]);
            assertEquals(100, seen.get(k)[1]);
        }
    }

    @Test
    void maxCoresLimitsTheWorkersUsed() {
        double[][] x = Fixtures.randomRows(2, 64, 4);
        try (ProcessCluster cluster = Cluster.processes(2, MemShare.forDirectory(shm.directory()))) {
            List<Long> pids = Apply.memApply(x).cluster(cluster).maxCores(1).run((c, vars) -> ProcessHandle.current().pid());
            assertEquals(1, pids.stream().distinct().count(), "one worker with maxCores=1");
            assertTrue(cluster.workerPids().containsAll(pids.stream().distinct().toList()));
            assertFalse(pids.contains(ProcessHandle.current().pid()), "computed in a worker JVM, not here");
            List<Long> both = Apply.memApply(x).cluster(cluster).run((c, vars) -> {
                Thread.sleep(5);
                return ProcessHandle.current().pid();
            });
            assertEquals(2, both.stream().distinct().count(), "both workers share the load");
        }
    }

    @Test
    void workerOutputIsForwardedToTheParentLog() {
        List<String> log = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.defaults().withLog(log::add);
        try (Cluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            List<Double> sums = Apply.memApply(new double[][] {{1, 2}}).cluster(cluster).run((c, vars) -> {
                System.out.println("hello from column " + (long) c.get(0));
                return c.sum();
            });
            assertEquals(List.of(1.0, 2.0), sums, "printing to System.out does not disturb the channel");
        }
        assertTrue(log.contains("[worker 0] hello from column 1"), log.toString());
        assertTrue(log.contains("[worker 0] hello from column 2"), log.toString());
    }

    @Test
    void closeReturnsOnlyWhenAllTheWorkersOutputReachedASlowLog() {
        List<String> log = new CopyOnWriteArrayList<>();
        // A slow log keeps the forwarder busy long after the worker printed and the call returned.
        WorkerOptions options = WorkerOptions.defaults().withLog(line -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add(line);
        });
        try (Cluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            Apply.memApply(new double[][] {{1, 2, 3, 4, 5, 6, 7, 8}}).cluster(cluster).run((c, vars) -> {
                System.out.println("line " + (long) c.get(0));
                return c.sum();
            });
        }
        for (int k = 1; k <= 8; k++) {
            assertTrue(log.contains("[worker 0] line " + k), log.toString());
        }
    }
}
