package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/** Several threads share one process cluster: calls queue up, and every result lands in its own call. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentCallsStressTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void manyCallersOnOneClusterEachGetTheirOwnResults() throws Exception {
        MemShare registry = MemShare.forDirectory(shm.directory());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (ProcessCluster cluster = Cluster.processes(2, registry)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int caller = t;
                futures.add(callers.submit(() -> {
                    for (int round = 0; round < 40; round++) {
                        int ncol = 1 + (caller * 7 + round) % 50;
                        double[][] x = Fixtures.randomRows(3, ncol, caller * 1000L + round);
                        List<Double> sums = Apply.memApply(x).cluster(cluster).maxCores(1 + round % 2)
                            .run((c, vars) -> c.sum());
                        for (int j = 0; j < ncol; j++) {
                            assertEquals(x[0][j] + x[1][j] + x[2][j], sums.get(j), 1e-12, "caller " + caller + " round " + round);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(List.of(), Fixtures.files(shm.directory()));
    }
}
