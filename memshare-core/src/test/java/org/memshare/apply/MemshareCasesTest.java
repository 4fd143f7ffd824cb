package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.testing.TempShm;

/** R memshare's own test cases, ported, on a thread cluster and on worker JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemshareCasesTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private Cluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running: " + Fixtures.liveWorkers());
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void correlationOfEachColumnWithYOnOneWorkerEqualsSerial(ClusterKind kind) {
        double[][] x = Fixtures.randomRows(40, 10, 1);
        double[] y = Fixtures.random(40, 2);
        cluster = kind.open(1, MemShare.forDirectory(shm.directory()));

        List<Double> parallel = Apply.memApply(x).columns().var("y", y).cluster(cluster)
            .run((column, vars) -> Fixtures.correlation(column, vars.vector("y")));

        List<Double> serial = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            serial.add(Fixtures.correlation(Fixtures.column(x, j), y));
        }
        Fixtures.assertClose(serial, parallel, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void meanOfPreRegisteredMatrixEqualsColumnMeans(ClusterKind kind) {
        MemShare registry = MemShare.forDirectory(shm.directory());
        double[] data = new double[30];
        for (int k = 0; k < data.length; k++) {
            data[k] = k * 1.5 - 7;
        }
        registry.register("ns", "X", Variable.matrix(6, 5, data));
        try {
            cluster = kind.open(2, registry);
            List<Double> means = Apply.memApply("X", Margin.COLUMNS, (column, vars) -> Fixtures.mean(column), "ns", cluster, Map.of(), 2);
            List<Double> expected = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int i = 0; i < 6; i++) {
                    s += data[i + j * 6];
                }
                expected.add(s / 6);
            }
            Fixtures.assertClose(expected, means, 1e-12);
        } finally {
            registry.releaseVariables("ns", "X");
        }
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void lapplyOverTwentyMatricesTimesYEqualsSerial(ClusterKind kind) {
        List<double[][]> matrices = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            matrices.add(Fixtures.randomRows(5, 5, 100 + k));
        }
        double[] y = Fixtures.random(5, 7);
        cluster = kind.open(2, MemShare.forDirectory(shm.directory()));

        List<double[]> products = Apply.memLapply(matrices).var("y", y).cluster(cluster)
            .run((element, vars) -> times((MatrixView) element, vars.vector("y")));

        assertEquals(20, products.size());
        for (int k = 0; k < 20; k++) {
            double[] expected = new double[5];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    expected[i] += matrices.get(k)[i][j] * y[j];
                }
            }
            assertArrayEquals(expected, products.get(k), 1e-12, "element " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void sumOverPreRegisteredListOfTwoMatrices(ClusterKind kind) {
        MemShare registry = MemShare.forDirectory(shm.directory());
        registry.register("ns", "L", Variable.list(
            Variable.matrix(2, 2, new double[] {1, 2, 3, 4}),
            Variable.matrix(2, 2, new double[] {5, 6, 7, 8})));
        try {
            cluster = kind.open(2, registry);
            List<Double> sums = Apply.memLapply("L", (element, vars) -> ((MatrixView) element).all().sum(), "ns", cluster,
                Map.of(), 2);
            assertEquals(List.of(10.0, 26.0), sums);
        } finally {
            registry.releaseVariables("ns", "L");
        }
    }

    /** Matrix times vector, R's {@code X %*% y}. */
    static double[] times(MatrixView m, VectorView y) {
        double[] out = new double[(int) m.nrow()];
        for (int i = 0; i < m.nrow(); i++) {
            VectorView row = m.row(i);
            for (int j = 0; j < m.ncol(); j++) {
                out[i] += row.get(j) * y.get(j);
            }
        }
        return out;
    }
}
