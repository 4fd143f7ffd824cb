package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.Margin;
import org.memshare.apply.ProcessCluster;
import org.memshare.apply.WorkerOptions;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;

/** The examples of docs/APPLY.md, as the document shows them (checked by {@link DocSnippetsTest}). */
class ApplyDocExamplesTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    /** Pearson correlation of two equally long vectors. */
    static double correlation(VectorView a, VectorView b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** The product of a matrix and a vector. */
    static double[] times(MatrixView m, VectorView v) {
        double[] product = new double[(int) m.nrow()];
        for (int i = 0; i < m.nrow(); i++) {
            for (int j = 0; j < m.ncol(); j++) {
                product[i] += m.get(i, j) * v.get(j);
            }
        }
        return product;
    }

    @Test
    @Timeout(120)
    void aClusterOfWorkerJvms() {
        MemShare.system().register("ns", "X", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}));
        String printed = StandardOutput.capture(() -> {
            // docs:begin apply-cluster
            MemShare memShare = MemShare.system();
            try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
                List<Double> sums = Apply.memApply("X").namespace("ns").columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                System.out.println(sums);   // [3.0, 7.0]
            }   // stops every worker
            // docs:end apply-cluster
        });
        assertEquals("[3.0, 7.0]", printed.strip());
    }

    @Test
    @Timeout(120)
    void oneWorkerJvmWithAThreadPerCore() {
        MemShare.system().register("ns", "X", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}));
        MemShare memShare = MemShare.system();
        String printed = StandardOutput.capture(() -> {
            // docs:begin apply-threads-per-worker
            // One worker JVM with a thread per core, for a thread-safe function.
            WorkerOptions options = WorkerOptions.builder().threads(Runtime.getRuntime().availableProcessors()).build();
            try (ProcessCluster cluster = Cluster.processes(1, memShare, options)) {
                List<Double> sums = Apply.memApply("X").namespace("ns").columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                System.out.println(sums);   // [3.0, 7.0]
            }
            // docs:end apply-threads-per-worker
        });
        assertEquals("[3.0, 7.0]", printed.strip());
    }

    @Test
    @Timeout(120)
    void memApplyInItsThreeForms() {
        double[][] x = new double[6][5];
        double[] data = new double[30];
        double[] y = {1, 2, 3, 4, 5, 6};
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = j == 0 ? 2 * y[i] : j == 1 ? -y[i] : (i * 7 + j * 3) % 5;
                data[j * 6 + i] = x[i][j];
            }
        }
        MemShare memShare = MemShare.system();
        memShare.register("ns", "y", y);
        try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
            // docs:begin apply-memapply
            // X as data: registered for the call under a private name, released after it (also on failure)
            List<Double> correlations = Apply.memApply(x)            // double[][] rows, or Variable.matrix(...)
                .columns()                                           // or .rows(), or .margin(Margin.of(1))
                .var("y", y)                                         // data, registered for the call
                .cluster(cluster)
                .progress((done, total) -> System.err.print("\r" + done + "/" + total))
                .timeout(Duration.ofMinutes(5))                      // optional: fail instead of waiting longer
                .run((column, vars) -> correlation(column, vars.vector("y")));

            // X as the name of a registered matrix, vars as names of registered variables
            memShare.register("ns", "X", Variable.matrix(6, 5, data));
            List<Double> means = Apply.memApply("X").namespace("ns").vars("y").maxCores(2).cluster(cluster)
                .run((column, vars) -> column.sum() / column.length());

            // R's argument order
            List<Double> sums = Apply.memApply("X", Margin.ROWS, (row, vars) -> row.sum(), "ns", cluster,
                Map.of("w", new double[] {1, 2, 3}, "y", "y"), 2);   // a String value names a registered variable
            // docs:end apply-memapply
            assertEquals(1.0, correlations.get(0), 1e-12);
            assertEquals(-1.0, correlations.get(1), 1e-12);
            assertEquals(5, correlations.size());
            assertEquals(3.5 * 2, means.get(0), 1e-12);
            assertEquals(6, sums.size());
            for (int i = 0; i < 6; i++) {
                double rowSum = 0;
                for (int j = 0; j < 5; j++) {
                    rowSum += x[i][j];
                }
                assertEquals(rowSum, sums.get(i), 1e-12);
            }
        }
    }

    @Test
    @Timeout(120)
    void memLapplyOverAListOfMatrices() {
        List<double[][]> matrices = List.of(new double[][] {{1, 0, 0}, {0, 1, 0}}, new double[][] {{1, 1, 1}});
        double[] y = {1, 2, 3};
        try (ProcessCluster cluster = Cluster.processes(2, MemShare.system())) {
            // docs:begin apply-memlapply
            List<double[]> products = Apply.memLapply(matrices)       // List<double[][]> data, or "L" registered
                .var("y", y).cluster(cluster)
                .run((element, vars) -> times((MatrixView) element, vars.vector("y")));
            // docs:end apply-memlapply
            assertArrayEquals(new double[] {1, 2}, products.get(0));
            assertArrayEquals(new double[] {6}, products.get(1));
        }
    }
}
