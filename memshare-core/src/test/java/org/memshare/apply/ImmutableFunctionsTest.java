package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.VectorView;
import org.memshare.testing.TempShm;

/** Only functions whose state cannot change are reused across calls; any other gets a fresh copy per call. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImmutableFunctionsTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    /** Counts the slices it saw: state that a copy reused across calls would carry over. */
    static final class Counting implements MarginFunction<Integer> {
        private int seen;

        @Override
        public Integer apply(VectorView slice, Vars vars) {
            return ++seen;
        }
    }

    @Test
    void functionsWithFinalValueFieldsOnlyAreImmutable() {
        int factor = 3;
        String label = "x";
        double[] weights = {1, 2};
        MarginFunction<Double> plain = (slice, vars) -> slice.sum();
        MarginFunction<String> capturingValues = (slice, vars) -> label + factor * slice.sum();
        MarginFunction<Double> capturingArray = (slice, vars) -> weights[0] * slice.sum();
        assertTrue(ImmutableFunctions.immutable(plain));
        assertTrue(ImmutableFunctions.immutable(capturingValues));
        assertFalse(ImmutableFunctions.immutable(capturingArray), "an array's elements can change");
        assertFalse(ImmutableFunctions.immutable(new Counting()), "a non-final field can change");
    }

    @Test
    void aFunctionWithStateStartsFreshInEveryCallOnWorkers() {
        Counting counting = new Counting();
        double[][] rows = {{1, 2, 3}};
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()))) {
            List<Integer> first = Apply.memApply(rows).columns().cluster(cluster).run(counting);
            List<Integer> second = Apply.memApply(rows).columns().cluster(cluster).run(counting);
            assertEquals(List.of(1, 2, 3), first);
            assertEquals(first, second, "the worker deserialized a fresh copy for the second call");
            MarginFunction<Double> plain = (slice, vars) -> slice.sum();
            for (int call = 0; call < 3; call++) {
                assertEquals(List.of(1.0, 2.0, 3.0), Apply.memApply(rows).columns().cluster(cluster).run(plain));
            }
        }
    }
}
