package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.registry.MemShare;
import org.memshare.testing.Patience;
import org.memshare.testing.TempShm;

/** A function that never returns: a timeout or an interrupt ends the call, and nothing leaks. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StuckCallTest {
    /** Index 3 of {@link #X} never returns (until the test is over: abandoned threads must not outlive it). */
    private static final double[][] X = {{0, 1, 2, 3, 4, 5, 6, 7}};

    private static volatile boolean released;

    @RegisterExtension
    final TempShm shm = new TempShm();

    private Cluster cluster;

    @AfterEach
    void closeCluster() {
        released = true;
        if (cluster != null) {
            long start = System.nanoTime();
            cluster.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < Patience.PROMPT_MILLIS, "close took ms=" + millis);
        }
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    /** Never returns for 3 while the test runs, and ignores interrupts as stuck code does. */
    static double stuckAtThree(double value) {
        while (value == 3 && !released) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ignored) {
                // deliberately deaf
            }
        }
        return value;
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void aTimeoutEndsACallThatNeverReturnsAndTheClusterStaysUsable(ClusterKind kind) {
        released = false;
        cluster = kind.open(2, MemShare.forDirectory(shm.directory()));
        MarginFunction<Double> function = (c, vars) -> stuckAtThree(c.get(0));
        // The budget is for the call, not for starting worker JVMs or loading the function's classes on
        // a busy machine: the same function first runs once on data without a 3.
        assertEquals(List.of(0.0, 1.0, 2.0, 4.0), Apply.memApply(new double[][] {{0, 1, 2, 4}}).cluster(cluster)
            .timeout(Duration.ofSeconds(60)).run(function));
        AtomicLong lastProgress = new AtomicLong(-1);
        long start = System.nanoTime();
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(X).var("w", new double[] {1})
            .timeout(Duration.ofSeconds(3)).cluster(cluster).progress((done, total) -> lastProgress.set(done)).run(function));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 3000 && millis < 3000 + Patience.PROMPT_MILLIS, "timed out after ms=" + millis);
        // Every item but the stuck one (and one queued behind it in the same worker JVM) is counted,
        // as the progress listener last heard it.
        assertTrue(e.getMessage().matches("call timed out: timeout=PT3S, done=[67], total=8, .*"), e.getMessage());
        assertTrue(e.getMessage().contains(", done=" + lastProgress.get() + ","), e.getMessage() + " progress=" + lastProgress);
        // Data given for the call is released although a thread may still be stuck in it.
        assertEquals(List.of(), Fixtures.files(shm.directory()));
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0),
            Apply.memApply(X).cluster(cluster).timeout(Duration.ofSeconds(30)).run((c, vars) -> 2 * c.get(0)));
    }

    @Test
    void theStuckWorkerIsKilledAndReplaced() {
        released = false;
        ProcessCluster processes = Cluster.processes(2, MemShare.forDirectory(shm.directory())).awaitReady();
        cluster = processes;
        List<Long> before = processes.workerPids();
        assertThrows(ApplyException.class, () -> Apply.memApply(X).timeout(Duration.ofMillis(500)).cluster(processes)
            .run((c, vars) -> stuckAtThree(c.get(0))));
        List<Long> after = processes.workerPids();
        assertNotEquals(before, after, "the worker holding index 3 is replaced");
        for (long pid : before) {
            if (!after.contains(pid)) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed: pid=" + pid);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void anInterruptedCallerReturnsPromptlyWithItsFlagSet(ClusterKind kind) throws Exception {
        released = false;
        cluster = kind.open(2, MemShare.forDirectory(shm.directory()));
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        CountDownLatch allButOne = new CountDownLatch(1);
        Thread caller = Thread.ofPlatform().daemon().start(() -> {
            try {
                Apply.memApply(X).cluster(cluster).progress((done, total) -> {
                    if (done >= 6) { // a worker JVM holding index 3 may hold index 4 too
                        allButOne.countDown();
                    }
                }).run((c, vars) -> stuckAtThree(c.get(0)));
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
            flag.complete(Thread.currentThread().isInterrupted());
        });
        assertTrue(allButOne.await(60, TimeUnit.SECONDS), "all items but the stuck one computed");
        long start = System.nanoTime();
        caller.interrupt();
        Throwable t = thrown.get(60, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < Patience.PROMPT_MILLIS, "returned after ms=" + millis);
        ApplyException e = assertInstanceOf(ApplyException.class, t);
        assertTrue(e.getMessage().matches("call interrupted: done=[67], total=8, .*"), e.getMessage());
        assertTrue(flag.get(5, TimeUnit.SECONDS), "interrupt flag restored");
        assertEquals(List.of(), Fixtures.files(shm.directory()));
        assertEquals(List.of(1.0, 2.0), Apply.memApply(new double[][] {{1, 2}}).cluster(cluster).run((c, vars) -> c.get(0)));
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void aGcWaitingBehindAStuckCallCanBeInterrupted(ClusterKind kind) throws Exception {
        released = false;
        cluster = kind.open(1, MemShare.forDirectory(shm.directory()));
        CountDownLatch started = new CountDownLatch(1);
        Thread stuck = Thread.ofPlatform().daemon().start(() -> {
            try {
                Apply.memApply(X).cluster(cluster).progress((done, total) -> started.countDown())
                    .run((c, vars) -> stuckAtThree(c.get(0)));
            } catch (RuntimeException expected) {
                // ended by the cluster's close
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the stuck call started");
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread gc = Thread.ofPlatform().daemon().start(() -> {
            try {
                Apply.gc("ns", cluster);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        awaitParked(gc);
        gc.interrupt();
        ApplyException e = assertInstanceOf(ApplyException.class, thrown.get(5, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("interrupted while waiting for the cluster"), e.getMessage());
        stuck.interrupt();
        stuck.join(10_000);
        assertFalse(stuck.isAlive(), "the stuck call returned after an interrupt");
    }

    /** Waits until {@code thread} waits (for the cluster's lock, here), so an interrupt meets it there. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(thread.isAlive() && System.nanoTime() < deadline, "thread never waited: state=" + thread.getState());
            Thread.sleep(1);
        }
    }
}
