package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/** A failing function and a dying worker surface as clear exceptions; nothing leaks. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailureTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private Cluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    static double failAtSeven(double value) {
        if (value == 7) {
            throw new ArithmeticException("seven is not allowed");
        }
        return value;
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void anExceptionInTheFunctionNamesTheIndexAndCarriesTheWorkersStackTrace(ClusterKind kind) {
        cluster = kind.open(2, MemShare.forDirectory(shm.directory()));
        double[][] x = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}};
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x).var("y", new double[] {1})
            .cluster(cluster).run((column, vars) -> failAtSeven(column.get(0))));
        assertEquals(7, e.index());
        assertTrue(e.getMessage().contains("column=7"), e.getMessage());
        Throwable cause = e.getCause();
        assertTrue(cause.getMessage().contains("seven is not allowed"), cause.getMessage());
        if (kind.inWorkerJvms()) {
            RemoteFailure remote = assertInstanceOf(RemoteFailure.class, cause);
            assertEquals(ArithmeticException.class.getName(), remote.remoteClassName());
            assertTrue(e.getMessage().contains("pid="), e.getMessage());
        } else {
            assertInstanceOf(ArithmeticException.class, cause);
        }
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(f -> f.getMethodName().equals("failAtSeven")),
            "the function's own stack frames are kept");
        // The cluster is still usable, and the data registered for the failed call is gone.
        assertEquals(List.of(0.0, 1.0), Apply.memApply(new double[][] {{0, 1}}).cluster(cluster).run((c, v) -> c.get(0)));
    }

    @Test
    void aNonSerializableResultNamesTheIndex() {
        cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()));
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(new double[][] {{1, 2, 3}})
            .cluster(cluster).run((c, vars) -> c.get(0) == 2 ? new Object() : "fine"));
        assertEquals(1, e.index());
        assertTrue(e.getCause().getMessage().contains("java.lang.Object"), e.getCause().getMessage());
    }

    @Test
    void aWorkerKilledMidCallFailsTheCallWithinASecondAndIsReplaced(@TempDir Path markers) throws Exception {
        ProcessCluster processes = Cluster.processes(2, MemShare.forDirectory(shm.directory()));
        cluster = processes;
        processes.awaitReady();
        List<Long> before = processes.workerPids();
        double[][] x = Fixtures.randomRows(3, 40, 1);
        String started = markers.toString();
        CompletableFuture<List<Object>> call = CompletableFuture.supplyAsync(() -> Apply.memApply(x).cluster(processes)
            .run((c, vars) -> {
                Files.writeString(Path.of(started, Long.toString(ProcessHandle.current().pid())), "computing");
                Thread.sleep(100);
                return c.sum();
            }));
        awaitComputing(markers, before.get(1));
        long killedAt = System.nanoTime();
        ProcessHandle.of(before.get(1)).orElseThrow().destroyForcibly();
        Exception e = assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
        long seconds = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(1, died.worker());
        assertEquals(before.get(1), died.pid());
        assertTrue(died.getMessage().contains("exitCode=137"), died.getMessage());
        assertTrue(died.getMessage().contains("chunk=["), died.getMessage());
        assertTrue(seconds < 1000, "noticed within a second, took ms=" + seconds);
        // Data registered for the failed call is released; the cluster replaced the worker and works.
        assertEquals(List.of(), Fixtures.files(shm.directory()));
        List<Double> sums = Apply.memApply(x).cluster(processes).run((c, vars) -> c.sum());
        assertEquals(40, sums.size());
        List<Long> after = processes.workerPids();
        // Worker 0 held chunks of the failed call too, so it was killed and replaced as well.
        assertTrue(after.stream().noneMatch(before::contains), "workers replaced: before=" + before + ", after=" + after);
        assertTrue(ProcessHandle.of(before.get(1)).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void aWorkerKilledMidCallFailsTheCallAtOnceWithoutWaitingForTheOthersChunks(@TempDir Path markers) throws Exception {
        ProcessCluster processes = Cluster.processes(2, MemShare.forDirectory(shm.directory())).awaitReady();
        cluster = processes;
        List<Long> before = processes.workerPids();
        double[][] x = {{0, 1, 2, 3, 4, 5, 6, 7}};
        String started = markers.toString();
        CompletableFuture<List<Object>> call = CompletableFuture.supplyAsync(() -> Apply.memApply(x).cluster(processes)
            .run((c, vars) -> {
                Files.writeString(Path.of(started, Long.toString(ProcessHandle.current().pid())), "computing");
                // Far longer than the call may take to fail: it must not wait for the survivor's chunk.
                Thread.sleep(60_000);
                return c.get(0);
            }));
        awaitComputing(markers, before.get(1));
        long killedAt = System.nanoTime();
        ProcessHandle.of(before.get(1)).orElseThrow().destroyForcibly();
        Exception e = assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(before.get(1), died.pid());
        assertTrue(millis < 20_000, "the call failed ms=" + millis + " after the kill");
        // The survivor held a chunk of the failed call: it was replaced too, so no stale answer reaches the next call.
        List<Long> after = processes.workerPids();
        assertTrue(after.stream().noneMatch(before::contains), "both workers replaced: before=" + before + ", after=" + after);
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0),
            Apply.memApply(x).cluster(processes).run((c, vars) -> 2 * c.get(0)));
        assertEquals(List.of(), Fixtures.files(shm.directory()));
    }

    /** Waits until the worker JVM {@code pid} computes a chunk (a loaded machine may take long to get there). */
    private static void awaitComputing(Path markers, long pid) throws InterruptedException {
        Path computing = markers.resolve(Long.toString(pid));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(computing)) {
            assertTrue(System.nanoTime() < deadline, "worker started computing: pid=" + pid);
            Thread.sleep(10);
        }
    }

    @Test
    void aFunctionThatExitsTheWorkerFailsTheCall() {
        cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()));
        WorkerDiedException e = assertThrows(WorkerDiedException.class, () -> Apply.memApply(new double[][] {{1, 2}})
            .cluster(cluster).run((c, vars) -> {
                System.exit(42);
                return 0;
            }));
        assertTrue(e.getMessage().contains("exitCode=42"), e.getMessage());
        assertEquals(List.of(3.0), Apply.memApply(new double[][] {{1}, {2}}).cluster(cluster).run((c, vars) -> c.sum()));
    }
}
