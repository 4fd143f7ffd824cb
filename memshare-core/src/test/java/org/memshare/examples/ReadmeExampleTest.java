package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.stats.MutualInformation;

/** The README's example, as the README shows it (checked by {@link DocSnippetsTest}), on real data. */
class ReadmeExampleTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    @Test
    @Timeout(120)
    void readmeExampleRanksTheInformativeColumnsFirst() {
        int n = 500;
        int rows = n;
        int features = 3;
        double[] columnMajorValues = new double[n * 3];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            target[i] = i % 2;
            columnMajorValues[i] = target[i] * 5 + Math.sin(i);          // informative
            columnMajorValues[n + i] = Math.cos(i * 7.3);                 // noise
            columnMajorValues[2 * n + i] = target[i] * 2 + Math.cos(i);  // informative
        }
        // docs:begin readme
        MemShare memShare = MemShare.system();                              // segments in /dev/shm on Linux
        memShare.registerVariables("ns", Map.of(
                "X", Variable.matrix(rows, features, columnMajorValues),    // copied once into shared memory
                "y", target));
        List<Double> mi;                                                    // MI of each column with y
        try (Cluster cluster = Cluster.processes(2, memShare)) {            // two worker JVMs
            mi = Apply.memApply("X").namespace("ns").columns().cluster(cluster).vars("y")
                .run((column, vars) -> MutualInformation.mutualinfo(
                        column.toDoubleArray(), vars.vector("y").toDoubleArray(), false, true));
        }
        memShare.releaseVariables("ns", "X", "y");                          // reclaimed when every view is gone
        // docs:end readme
        assertEquals(3, mi.size());
        assertTrue(mi.get(0) > 10 * mi.get(1) && mi.get(2) > 10 * mi.get(1), mi.toString());
        assertEquals(MutualInformation.mutualinfo(Arrays.copyOfRange(columnMajorValues, n, 2 * n), target, false, true),
            mi.get(1), 0.0);
        assertFalse(memShare.exists("ns", "X"));
    }
}
