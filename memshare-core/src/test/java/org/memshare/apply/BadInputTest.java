package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.UnknownVariableException;
import org.memshare.registry.Variable;
import org.memshare.testing.TempShm;

/** Every bad input of the issue gives a clear exception, before any worker runs, and leaks nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare registry;
    private ProcessCluster cluster;

    @BeforeEach
    void open() {
        registry = MemShare.forDirectory(shm.directory());
        registry.register("ns", "v", new double[] {1, 2, 3});
        cluster = Cluster.processes(1, registry);
    }

    @AfterEach
    void close() {
        cluster.close();
        registry.releaseNamespace("ns");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    /** A function that would make any call that reached a worker fail loudly. */
    private static final MarginFunction<Object> NEVER = (c, vars) -> {
        throw new AssertionError("a worker ran although the input was bad");
    };

    @Test
    void marginOtherThanRowsOrColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Margin.of(3));
        assertEquals("margin must be 1 (rows) or 2 (columns): margin=3", e.getMessage());
        assertEquals(Margin.ROWS, Margin.of(1));
        assertEquals(Margin.COLUMNS, Margin.of(2));
        assertThrows(NullPointerException.class, () -> Apply.memApply("v").margin(null));
    }

    @Test
    void xNeitherDataNorARegisteredMatrix() {
        IllegalArgumentException notData = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply(new Object()).namespace("ns").cluster(cluster).run(NEVER));
        assertTrue(notData.getMessage().startsWith("X is neither data nor the name of a registered variable"), notData.getMessage());
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply("v").namespace("ns").cluster(cluster).run(NEVER));
        assertEquals("X must be a matrix: kind=vector, variable=ns.v", vector.getMessage());
        IllegalArgumentException vectorData = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply(new double[] {1, 2}).namespace("ns").cluster(cluster).run(NEVER));
        assertEquals("X must be a matrix: kind=vector, variable=data", vectorData.getMessage());
        IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class,
            () -> Apply.memLapply(new double[][] {{1}}).namespace("ns").cluster(cluster).run((e, v) -> 0));
        assertEquals("X must be a list: kind=matrix, variable=data", notAList.getMessage());
    }

    @Test
    void namesThatAreNotRegisteredFailBeforeAnyWorkerRuns() {
        UnknownVariableException x = assertThrows(UnknownVariableException.class,
            () -> Apply.memApply("nope").namespace("ns").cluster(cluster).run(NEVER));
        assertTrue(x.getMessage().contains("variable=ns.nope"), x.getMessage());
        UnknownVariableException var = assertThrows(UnknownVariableException.class,
            () -> Apply.memApply(new double[][] {{1}}).namespace("ns").vars("missing").cluster(cluster).run(NEVER));
        assertTrue(var.getMessage().contains("variable=ns.missing"), var.getMessage());
    }

    @Test
    void duplicateOrEmptyVariableNames() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply("v").var("y", new double[] {1}).var("y", "v"));
        assertEquals("variable named twice: name=y", twice.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply("v").var("", new double[] {1}));
        assertEquals("variable name must not be empty: name=\"\"", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Apply.memApply("v").vars("v", "v"));
    }

    /** Not serializable, so a lambda capturing it cannot travel. */
    static final class Opaque {
        double value = 2;
    }

    @Test
    void nonSerializableFunction() {
        Opaque opaque = new Opaque();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Apply.memApply(new double[][] {{1}}).namespace("ns").cluster(cluster).run((c, vars) -> c.get(0) * opaque.value));
        assertTrue(e.getMessage().startsWith("function is not serializable: notSerializable=" + Opaque.class.getName()),
            e.getMessage());
    }

    @Test
    void maxCoresBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Apply.memApply("v").maxCores(0));
        assertEquals("maxCores must be at least 1: maxCores=0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cluster.threads(0, registry));
        assertThrows(IllegalArgumentException.class, () -> Cluster.processes(0, registry));
    }

    @Test
    void callingOnAClosedCluster() {
        Cluster threads = Cluster.threads(1, registry);
        threads.close();
        cluster.close();
        for (Cluster closed : List.of(threads, cluster)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Apply.memApply(new double[][] {{1}}).namespace("ns").cluster(closed).run(NEVER));
            assertTrue(e.getMessage().startsWith("cluster is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Apply.gc("ns", closed));
        }
        assertTrue(Fixtures.liveWorkers().isEmpty(), "closing stops every worker");
    }

    @Test
    void dataAndNamesMixInOneCall() {
        registry.register("ns", "M", Variable.matrix(3, 2, new double[] {1, 2, 3, 4, 5, 6}));
        List<Double> dots = Apply.memApply("M", Margin.COLUMNS, (c, vars) -> {
            double s = 0;
            for (long i = 0; i < c.length(); i++) {
                s += c.get(i) * vars.vector("w").get(i) + vars.vector("v").get(i);
            }
            return s;
        }, "ns", cluster, Map.of("w", new double[] {1, 0, 1}, "v", "v"), 1);
        assertEquals(List.of(1 + 3 + 6.0, 4 + 6 + 6.0), dots);
    }
}
