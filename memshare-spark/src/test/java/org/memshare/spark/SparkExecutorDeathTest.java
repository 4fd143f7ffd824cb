package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.VectorView;

/**
 * Executors killed with SIGKILL on a real cluster: Spark retries their tasks and the call returns the
 * local results; the killed loader's copy is reloaded by the next executor that needs it; its orphans
 * are swept while the application runs; and when the application ends, no segment is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkExecutorDeathTest {
    private static final double[][] ROWS = TestCluster.matrix(400, 40, 11);

    private static TestCluster cluster;
    private static Path csv;
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void startCluster(@TempDir Path files) throws Exception {
        csv = TestCluster.writeCsv(files.resolve("x.csv"), ROWS);
        cluster = new TestCluster("SparkExecutorDeathTest");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        BACKGROUND.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static double sum(VectorView v) {
        return v.sum();
    }

    /** Runs a quick call that both executors take part in; returns their pids. */
    private static HashSet<Long> executorPids(SparkShare share) {
        List<Long> pids = share.memApply("X").columns().tasks(8).run((column, vars) -> {
            Thread.sleep(60);
            return ProcessHandle.current().pid();
        });
        return new HashSet<>(pids);
    }

    private static SegmentCensus.Entry onlyCopy(SparkShare share) {
        List<SegmentCensus.Entry> copies = cluster.segments(share.namespace());
        assertEquals(1, copies.size(), "copies: " + copies);
        return copies.getFirst();
    }

    private static void kill(long pid) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        assertTrue(process.destroyForcibly(), "SIGKILL sent to pid " + pid);
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Waits until the worker has replaced a killed executor (two executors plus the driver). */
    private static void awaitTwoExecutors() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.sc.statusTracker().getExecutorInfos().length >= 3) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the killed executor was not replaced within 90 s");
    }

    @Test
    @Order(1)
    void theLoaderKilledMidCallIsRetriedAndTheHostReloadsItsCopy() throws Exception {
        List<Double> expected;
        try (Cluster threads = Cluster.threads(2)) {
            expected = Apply.memApply(ROWS).columns().cluster(threads).run((column, vars) -> sum(column));
        }
        try (SparkShare share = SparkShare.open(cluster.sc)) {
            share.register("X", SparkSource.file(csv.toString()));
            HashSet<Long> pids = executorPids(share);
            assertEquals(2, pids.size(), "both executors took part: " + pids);
            long loader = onlyCopy(share).owner().pid();
            assertTrue(pids.contains(loader));

            AtomicLong done = new AtomicLong();
            Future<List<Double>> call = BACKGROUND.submit(() -> share.memApply("X").columns().tasks(20)
                .progress((items, total) -> done.set(items))
                .run((column, vars) -> {
                    Thread.sleep(150);
                    return sum(column);
                }));
            while (done.get() < 4 && !call.isDone()) {
                Thread.sleep(20);
            }
            assertFalse(call.isDone(), "the call must still run when its loader is killed");
            kill(loader);
            assertEquals(expected, call.get(180, TimeUnit.SECONDS), "the retried call returns the local results");

            // The next call on the replacement executor finds the dead loader's copy and loads it anew.
            awaitTwoExecutors();
            HashSet<Long> after = executorPids(share);
            assertFalse(after.contains(loader));
            assertEquals(2, after.size(), "both executors took part: " + after);
            SegmentCensus.Entry copy = onlyCopy(share);
            assertNotEquals(loader, copy.owner().pid(), "reloaded by a live executor");
            assertTrue(copy.ownerAlive());
            assertEquals(expected, share.memApply("X").columns().run((column, vars) -> sum(column)));
        }
    }

    @Test
    @Order(2)
    void noSegmentOutlivesTheApplicationNotEvenAKilledLoaders() throws Exception {
        SparkShare share = SparkShare.open(cluster.sc);
        share.register("X", SparkSource.file(csv.toString()));
        share.register("y", SparkSource.data(new double[] {1, 2, 3}));
        share.memApply("X").columns().vars("y").tasks(8).run((column, vars) -> {
            Thread.sleep(60);
            return vars.vector("y").sum();
        });
        assertEquals(2, cluster.segments(share.namespace()).size());
        kill(onlyCopyOf(share, "X").owner().pid());
        // The driver hears of the lost executor and sweeps its orphans on the host while the application runs.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (cluster.segments(share.namespace()).stream().anyMatch(SegmentCensus.Entry::isOrphan)
            && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), cluster.segments(share.namespace()).stream().filter(SegmentCensus.Entry::isOrphan).toList(),
            "orphans of the killed loader swept while the application runs");
        // The application ends without closing the share: nothing may be left.
        cluster.stopAndAwaitNoSegments(Duration.ofSeconds(60));
        assertEquals(List.of(), cluster.segments(), "segments left after the application: " + cluster.listing());
        assertEquals("[]", cluster.listing(), "nothing left, the host's lock file included");
    }

    private static SegmentCensus.Entry onlyCopyOf(SparkShare share, String variable) {
        return cluster.segments(share.namespace()).stream().filter(e -> e.name().variable().equals(variable))
            .findFirst().orElseThrow();
    }
}
