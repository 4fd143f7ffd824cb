package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.testing.TempShm;

/**
 * Worker JVMs keep the mapping of a variable between the calls of their cluster, reuse it only while
 * the name denotes the same file, and unmap it promptly once its owner released it. Observed from
 * outside, in each worker's {@code /proc/PID/maps}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MappingReuseTest {
    /**
     * How long to wait for a worker to drop a mapping ({@link Fixtures#MAPPING_RELEASE_MILLIS}): the
     * wait proves the mapping goes without any further call, not how fast.
     */
    private static final long RELEASE_BOUND_MILLIS = Fixtures.MAPPING_RELEASE_MILLIS;

    @RegisterExtension
    final TempShm shm = new TempShm();

    private static double[] filled(int n, double value) {
        double[] values = new double[n];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void repeatedCallsReuseOneMappingPerWorker() throws Exception {
        MemShare registry = MemShare.forDirectory(shm.directory());
        registry.register("r", "X", Variable.matrix(1000, 64, Fixtures.random(64_000, 1)));
        try (ProcessCluster cluster = Cluster.processes(2, registry).awaitReady()) {
            List<Long> pids = cluster.workerPids();
            List<List<String>> first = null;
            for (int call = 0; call < 10; call++) {
                List<Double> sums = Apply.memApply("X").namespace("r").columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                assertEquals(64, sums.size());
                // Both workers did part of the work: each keeps exactly one mapping of X, the same one.
                List<List<String>> now = new ArrayList<>();
                for (long pid : pids) {
                    now.add(awaitMappings(pid, segment("r", "X"), 1));
                }
                if (first == null) {
                    first = now;
                } else {
                    assertEquals(first, now, "the mapping changed between calls: call=" + call);
                }
            }
            // Still there while the worker idles: nothing released it.
            Thread.sleep(3 * WorkerMain.STALE_CHECK_MILLIS);
            for (int k = 0; k < pids.size(); k++) {
                assertEquals(first.get(k), mappingLines(pids.get(k), segment("r", "X")));
            }
        } finally {
            registry.releaseNamespace("r");
        }
    }

    @Test
    void anIdleWorkerUnmapsAReleasedVariableWithinTheStatedBound() throws Exception {
        MemShare registry = MemShare.forDirectory(shm.directory());
        registry.register("r", "X", Variable.matrix(1000, 64, Fixtures.random(64_000, 2)));
        try (ProcessCluster cluster = Cluster.processes(2, registry).awaitReady()) {
            Apply.memApply("X").namespace("r").columns().cluster(cluster).run((column, vars) -> column.sum());
            for (long pid : cluster.workerPids()) {
                awaitMappings(pid, segment("r", "X"), 1);
            }
            long released = System.nanoTime();
            registry.releaseVariables("r", "X");
            for (long pid : cluster.workerPids()) {
                awaitMappings(pid, segment("r", "X"), 0);
            }
            // No call was made since the release: the workers' background check unmapped it.
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
            assertTrue(millis <= RELEASE_BOUND_MILLIS, "released variable still mapped after " + millis + " ms");
            // No process maps the unlinked file any more: its memory is freed.
            assertEquals(0, Fixtures.mappings(ProcessHandle.current().pid(), shm.directory()));
            assertEquals(List.of(), Fixtures.files(shm.directory()));
        } finally {
            registry.releaseNamespace("r");
        }
    }

    @Test
    void aReRegisteredNameIsReadWithItsNewValuesOnTheNextCall() {
        MemShare registry = MemShare.forDirectory(shm.directory());
        try (ProcessCluster cluster = Cluster.processes(2, registry).awaitReady()) {
            for (int version = 1; version <= 20; version++) {
                registry.register("r", "X", Variable.matrix(100, 8, filled(800, version)));
                // Immediately after re-registering: the workers' kept mappings of the old file are stale.
                List<Double> sums = Apply.memApply("X").namespace("r").columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                assertEquals(Collections.nCopies(8, 100.0 * version), sums, "version=" + version);
                registry.releaseVariables("r", "X");
            }
        } finally {
            registry.releaseNamespace("r");
        }
    }

    @Test
    void manyCallsOverVaryingVariablesDoNotGrowMappingsOrDescriptors() throws Exception {
        MemShare registry = MemShare.forDirectory(shm.directory());
        int variables = 5;
        for (int v = 0; v < variables; v++) {
            registry.register("r", "V" + v, Variable.matrix(50, 4, filled(200, v)));
        }
        try (ProcessCluster cluster = Cluster.processes(2, registry).awaitReady()) {
            List<Long> pids = cluster.workerPids();
            for (int v = 0; v < variables; v++) {
                Apply.memApply("V" + v).namespace("r").columns().cluster(cluster).run((column, vars) -> column.sum());
            }
            long[] fds = pids.stream().mapToLong(Fixtures::openFiles).toArray();
            for (int call = 0; call < 1_200; call++) {
                int v = call % variables;
                if (call % 97 == 0) {
                    // Replace one variable now and then: the old file must not stay mapped.
                    registry.releaseVariables("r", "V" + v);
                    registry.register("r", "V" + v, Variable.matrix(50, 4, filled(200, v)));
                }
                List<Double> sums = Apply.memApply("V" + v).namespace("r").columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                assertEquals(Collections.nCopies(4, 50.0 * v), sums, "call=" + call);
                if (call % 3 == 0) {
                    // A call with data of its own: a temporary variable, released when the call ends.
                    Apply.memApply(new double[][] {{call, 1}}).cluster(cluster).run((column, vars) -> column.sum());
                }
            }
            assertEquals(pids, cluster.workerPids(), "no worker was replaced");
            for (int k = 0; k < pids.size(); k++) {
                long pid = pids.get(k);
                assertTrue(Fixtures.awaitMappingsAtMost(pid, shm.directory(), variables) <= variables,
                    "worker maps more than the live variables: " + mappingLines(pid, shm.directory().toString()));
                assertTrue(Fixtures.openFiles(pid) <= fds[k] + 2, "worker descriptors grew: before=" + fds[k]
                    + ", after=" + Fixtures.openFiles(pid));
            }
            Apply.gc("r", cluster);
            for (long pid : pids) {
                assertEquals(0, Fixtures.mappings(pid, shm.directory()), "gc left a mapping: pid=" + pid);
            }
        } finally {
            registry.releaseNamespace("r");
        }
    }

    private String segment(String namespace, String name) {
        return shm.directory().resolve("memshare." + namespace + "." + name).toString();
    }

    /** Waits until the worker maps the file exactly {@code count} times (a call's end reaches a worker just after it). */
    private static List<String> awaitMappings(long pid, String path, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_BOUND_MILLIS);
        List<String> lines = mappingLines(pid, path);
        while (lines.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
            lines = mappingLines(pid, path);
        }
        assertEquals(count, lines.size(), "mappings of " + path + " in worker " + pid + ": " + lines);
        return lines;
    }

    /** The lines of /proc/PID/maps that map {@code path} (or, after unlinking, "{@code path} (deleted)"). */
    private static List<String> mappingLines(long pid, String path) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return lines.filter(l -> l.endsWith(path) || l.endsWith(path + " (deleted)")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
