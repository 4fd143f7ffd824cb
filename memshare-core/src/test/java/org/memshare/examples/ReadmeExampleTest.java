package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.stats.MutualInformation;
import org.memshare.testing.TempShm;

/** The README's example, verbatim but for the data and the directory, so the README stays true. */
class ReadmeExampleTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void readmeExampleRuns() {
        int n = 500;
        double[] columnMajorValues = new double[n * 3];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            target[i] = i % 2;
            columnMajorValues[i] = target[i] * 5 + Math.sin(i);          // informative
            columnMajorValues[n + i] = Math.cos(i * 7.3);                 // noise
            columnMajorValues[2 * n + i] = target[i] * 2 + Math.cos(i);  // informative
        }
        MemShare memShare = MemShare.forDirectory(shm.directory());
        memShare.registerVariables("ns", Map.of(
                "X", Variable.matrix(n, 3, columnMajorValues),
                "y", target));
        List<Double> mi;
        try (Cluster cluster = Cluster.processes(2, memShare)) {
            mi = Apply.memApply("X").namespace("ns").columns().cluster(cluster).vars("y")
                .run((column, vars) -> MutualInformation.mutualinfo(
                        column.toDoubleArray(), vars.vector("y").toDoubleArray(), false, true));
        }
        memShare.releaseVariables("ns", "X", "y");
        assertEquals(3, mi.size());
        assertTrue(mi.get(0) > 10 * mi.get(1) && mi.get(2) > 10 * mi.get(1), mi.toString());
        assertEquals(MutualInformation.mutualinfo(java.util.Arrays.copyOfRange(columnMajorValues, n, 2 * n), target, false, true),
            mi.get(1), 0.0);
    }
}
