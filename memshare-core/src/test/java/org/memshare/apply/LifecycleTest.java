package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.VectorView;
import org.memshare.registry.ViewReleasedException;
import org.memshare.testing.TempShm;

/** Closing, parent death, gc across a cluster, and no growth of descriptors, mappings or files. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LifecycleTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void closingStopsEveryWorker() {
        ProcessCluster cluster = Cluster.processes(2, MemShare.forDirectory(shm.directory())).awaitReady();
        List<ProcessHandle> workers = cluster.workerPids().stream().map(p -> ProcessHandle.of(p).orElseThrow()).toList();
        assertTrue(workers.stream().allMatch(ProcessHandle::isAlive));
        cluster.close();
        assertTrue(workers.stream().noneMatch(ProcessHandle::isAlive));
        assertTrue(cluster.isClosed());
        assertTrue(Fixtures.liveWorkers().isEmpty());
    }

    @Test
    void aWorkerThatCannotStartGivesAClearErrorAndItsOutputReachesTheLog() {
        List<String> log = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.defaults().withJvmOptions(List.of("-XX:+NoSuchJvmOption")).withLog(log::add);
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Apply.memApply(new double[][] {{1}}).cluster(cluster).run((c, vars) -> c.sum()));
            assertTrue(e.getMessage().startsWith("worker exited before it was ready: worker=0"), e.getMessage());
            assertTrue(e.getMessage().contains("exitCode=1"), e.getMessage());
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[worker 0] ") && l.contains("NoSuchJvmOption")), log.toString());
        assertEquals(List.of(), Fixtures.files(shm.directory()));
    }

    /** A parent JVM for the SIGKILL test: starts a cluster, prints the worker pids, waits forever. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            ProcessCluster cluster = Cluster.processes(2, MemShare.forDirectory(Path.of(args[0]))).awaitReady();
            System.out.println(cluster.workerPids().get(0) + " " + cluster.workerPids().get(1));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void jvmWarningsGoToTheLogNotIntoTheProtocolChannel() {
        // A missing AOT cache makes the JVM log errors, by default to stdout: the workers' channel.
        List<String> log = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.defaults()
            .withJvmOptions(List.of("-Xmx256m", "-XX:AOTCache=" + shm.directory().resolve("missing.aot")))
            .withLog(log::add);
        MemShare registry = MemShare.forDirectory(shm.directory());
        try (ProcessCluster cluster = Cluster.processes(1, registry, options)) {
            List<Double> sums = Apply.memApply(new double[][] {{1, 2}, {3, 4}}).columns().cluster(cluster)
                .run((column, vars) -> column.sum());
            assertEquals(List.of(4.0, 6.0), sums);
        }
        assertTrue(log.stream().anyMatch(line -> line.startsWith("[worker 0]") && line.contains("aot")), log.toString());
    }

    @Test
    void pagesAFunctionRegisteredInAWorkerAreReleasedWhenTheClusterCloses() {
        MemShare registry = MemShare.forDirectory(shm.directory());
        String directory = shm.directory().toString();
        try (ProcessCluster cluster = Cluster.processes(1, registry)) {
            List<Integer> done = Apply.memApply(new double[][] {{1}}).columns().cluster(cluster).run((column, vars) -> {
                MemShare.forDirectory(Path.of(directory)).register("fromworker", "v", new double[] {1, 2});
                return 1;
            });
            assertEquals(List.of(1), done);
            assertTrue(registry.exists("fromworker", "v"), "the worker's page lives while the worker does");
        }
        assertFalse(registry.exists("fromworker", "v"), "closing the cluster released it, no orphan left");
    }

    @Test
    void aParentKilledWithSigkillLeavesNoWorkerRunning() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Parent.class.getName(),
            shm.directory().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<ProcessHandle> workers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (String pid : out.readLine().trim().split(" ")) {
                workers.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow());
            }
            assertTrue(workers.stream().allMatch(ProcessHandle::isAlive));
            parent.destroyForcibly();   // SIGKILL: no shutdown hook, no close
            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
            // Generous for a busy machine; without the parent's end they would live forever.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(workers.stream().noneMatch(ProcessHandle::isAlive), "workers outlived their parent");
        } finally {
            parent.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void gcDropsANamespaceInTheParentAndEveryWorker() {
        MemShare registry = MemShare.forDirectory(shm.directory());
        String directory = shm.directory().toString();
        registry.register("g", "a", new double[] {1, 2});
        registry.register("keep", "b", new double[] {3});
        VectorView a = registry.retrieveVector("g", "a");
        try (ProcessCluster cluster = Cluster.processes(2, registry)) {
            // Each worker registers a page of its own in namespace g and keeps a view of g.a.
            List<String> pages = Apply.memApply(new double[][] {{1, 2, 3, 4}}).namespace("keep").cluster(cluster)
                .run((c, vars) -> {
                    MemShare local = MemShare.forDirectory(Path.of(directory));
                    String name = "w" + ProcessHandle.current().pid() + "-" + (long) c.get(0);
                    local.register("g", name, new double[] {c.get(0)});
                    local.retrieveVector("g", "a");
                    return name;
                });
            assertEquals(4, pages.size());
            assertEquals(4 + 2, Fixtures.files(shm.directory()).size(), Fixtures.files(shm.directory()).toString());
            for (long pid : cluster.workerPids()) {
                assertTrue(Fixtures.mappings(pid, shm.directory()) > 0 || pages.stream().noneMatch(p -> p.startsWith("w" + pid)));
            }

            Apply.gc("g", cluster);

            assertEquals(List.of("memshare.keep.b"), Fixtures.files(shm.directory()));
            assertEquals(List.of("keep.b"), registry.pageList());
            assertThrows(ViewReleasedException.class, () -> a.get(0));
            for (long pid : cluster.workerPids()) {
                assertEquals(0, Fixtures.mappings(pid, shm.directory()), "worker still maps namespace g: pid=" + pid);
            }
        } finally {
            registry.releaseNamespace("keep");
        }
    }

    @Test
    void repeatedCallsDoNotGrowDescriptorsMappingsOrFiles() throws InterruptedException {
        MemShare registry = MemShare.forDirectory(shm.directory());
        Path directory = shm.directory();
        long self = ProcessHandle.current().pid();
        double[][] x = Fixtures.randomRows(20, 30, 3);
        double[] y = Fixtures.random(20, 4);
        try (ProcessCluster processes = Cluster.processes(2, registry); ThreadCluster threads = Cluster.threads(2, registry)) {
            for (Cluster cluster : List.of(processes, threads)) {
                for (int warm = 0; warm < 20; warm++) {
                    Apply.memApply(x).var("y", y).cluster(cluster).run((c, vars) -> Fixtures.correlation(c, vars.vector("y")));
                }
            }
            List<Long> pids = processes.workerPids();
            long parentFds = Fixtures.openFiles(self);
            long[] workerFds = pids.stream().mapToLong(Fixtures::openFiles).toArray();
            for (int round = 0; round < 200; round++) {
                Cluster cluster = round % 2 == 0 ? processes : threads;
                List<Double> r = Apply.memApply(x).var("y", y).cluster(cluster)
                    .run((c, vars) -> Fixtures.correlation(c, vars.vector("y")));
                assertEquals(30, r.size());
            }
            assertEquals(pids, processes.workerPids(), "no worker was replaced");
            assertEquals(List.of(), Fixtures.files(directory), "segments left in the directory");
            assertEquals(0, Fixtures.mappings(self, directory), "parent still maps segments");
            for (int k = 0; k < pids.size(); k++) {
                // Workers keep mappings between calls; those of the calls' released data go within the bound.
                assertEquals(0, Fixtures.awaitNoMappings(pids.get(k), directory), "worker still maps segments");
                assertTrue(Fixtures.openFiles(pids.get(k)) <= workerFds[k], "worker descriptors grew");
            }
            // The parent runs other threads (JUnit, JIT); allow noise, not growth per call.
            assertTrue(Fixtures.openFiles(self) <= parentFds + 2, "parent descriptors grew: before=" + parentFds
                + ", after=" + Fixtures.openFiles(self));
            assertFalse(registry.pageList().stream().anyMatch(p -> p.contains("apply-")), registry.pageList().toString());
            assertEquals(List.of(), registry.viewList());
        }
    }
}
