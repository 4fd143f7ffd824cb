package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/**
 * A worker JVM computing on several threads ({@link WorkerOptions#threads()}): chunks run at once in
 * one JVM, answers arrive in any order and land at their items, and failures and deaths keep the
 * one-thread semantics. Each test gets one worker JVM with three threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerThreadsTest {
    private static final int THREADS = 3;

    @RegisterExtension
    final TempShm shm = new TempShm();

    private ProcessCluster cluster;

    /** Per worker JVM: counted down by each item of {@link #meetOthers}, so items meet only if they run at once. */
    private static final CountDownLatch MEETING = new CountDownLatch(THREADS);

    @BeforeEach
    void startCluster() {
        cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()),
            WorkerOptions.builder().threads(THREADS).build()).awaitReady();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    /** Waits (at most 30 s) until {@link #THREADS} items have arrived in this JVM; true when they all did. */
    static boolean meetOthers() throws InterruptedException {
        MEETING.countDown();
        return MEETING.await(30, TimeUnit.SECONDS);
    }

    static String where() {
        return ProcessHandle.current().pid() + "/" + Thread.currentThread().getName();
    }

    @Test
    void itemsRunAtOnceOnTheThreadsOfOneJvm() {
        // Each item waits until the others have arrived: on one thread the first would wait in vain.
        List<Boolean> met = Apply.memApply(new double[][] {{1, 2, 3}}).cluster(cluster).run((c, vars) -> meetOthers());
        assertEquals(List.of(true, true, true), met);
        List<String> places = Apply.memApply(new double[][] {{1, 2, 3}}).cluster(cluster).run((c, vars) -> where());
        Set<String> pids = new HashSet<>();
        Set<String> threads = new HashSet<>();
        for (String place : places) {
            pids.add(place.substring(0, place.indexOf('/')));
            threads.add(place.substring(place.indexOf('/') + 1));
        }
        assertEquals(Set.of(Long.toString(cluster.workerPids().getFirst())), pids, "one worker JVM");
        assertTrue(threads.stream().allMatch(name -> name.startsWith("memshare-worker-compute-")), threads.toString());
        assertEquals(1, cluster.size());
        assertEquals(THREADS, cluster.threadsPerWorker());
    }

    @Test
    void answersFinishingOutOfOrderLandAtTheirItems() {
        // Early items sleep longest, so later chunks are answered first.
        double[][] x = new double[1][60];
        for (int j = 0; j < 60; j++) {
            x[0][j] = j;
        }
        List<Double> doubled = Apply.memApply(x).cluster(cluster).run((c, vars) -> {
            Thread.sleep(Math.max(0, 30 - (long) c.get(0)));
            return 2 * c.get(0);
        });
        for (int j = 0; j < 60; j++) {
            assertEquals(2.0 * j, doubled.get(j));
        }
        // Many calls in a row: each job's answers stay in their job.
        for (int call = 0; call < 50; call++) {
            double offset = call;
            assertEquals(List.of(offset, offset + 1, offset + 2, offset + 3),
                Apply.memApply(new double[][] {{0, 1, 2, 3}}).var("k", new double[] {offset}).cluster(cluster)
                    .run((c, vars) -> c.get(0) + vars.vector("k").get(0)));
        }
    }

    @Test
    void aFailureOnOneThreadNamesItsItemAndTheWorkerStaysUsable() {
        double[][] x = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}};
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x).cluster(cluster)
            .run((c, vars) -> FailureTest.failAtSeven(c.get(0))));
        assertEquals(7, e.index());
        assertInstanceOf(RemoteFailure.class, e.getCause());
        assertEquals(List.of(0.0, 1.0), Apply.memApply(new double[][] {{0, 1}}).cluster(cluster).run((c, vars) -> c.get(0)));
    }

    @Test
    void aWorkerDyingWhileItsThreadsComputeFailsTheCallAndIsReplaced() {
        long before = cluster.workerPids().getFirst();
        WorkerDiedException e = assertThrows(WorkerDiedException.class, () -> Apply.memApply(new double[][] {{0, 1, 2, 3, 4, 5}})
            .cluster(cluster).run((c, vars) -> {
                if (c.get(0) == 4) {
                    Runtime.getRuntime().halt(3);
                }
                Thread.sleep(200);
                return c.get(0);
            }));
        assertEquals(before, e.pid());
        assertTrue(e.getMessage().contains("exitCode=3"), e.getMessage());
        assertNotEquals(before, cluster.workerPids().getFirst(), "replaced");
        assertEquals(List.of(5.0), Apply.memApply(new double[][] {{5}}).cluster(cluster).run((c, vars) -> c.get(0)));
    }

    @Test
    void threadCountsOutOfRangeAreRefused() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> WorkerOptions.builder().threads(0).build());
        assertTrue(none.getMessage().contains("threads=0"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.builder().threads(WorkerOptions.MAX_THREADS + 1).build());
        assertEquals(WorkerOptions.MAX_THREADS, WorkerOptions.builder().threads(WorkerOptions.MAX_THREADS).build().threads());
    }
}
