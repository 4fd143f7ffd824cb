package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/**
 * The demo's data are written block by block through a buffer and several columns per task; they
 * must stay, bit for bit, what the definition gives value by value: each column's own random stream
 * (Box–Muller), plus the planted signal. Shapes cover several blocks with a short last one, a last
 * task with fewer columns, one row block, and no planted column.
 */
class SyntheticDataTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    @Timeout(60)
    void blocksAndTasksGiveTheValuesOfTheDefinition() {
        MemShare memShare = MemShare.forDirectory(shm.directory());
        assertSameAsDefinition(memShare, "a", 2 * 4096 + 7, 37, 3, 5, 7);
        assertSameAsDefinition(memShare, "b", 3, 2, 2, 1, -11);
        assertSameAsDefinition(memShare, "c", 100, 1, 4, 0, 42);
    }

    private static void assertSameAsDefinition(MemShare memShare, String namespace, int rows, int features, int classes,
                                               int plantedCount, long seed) {
        SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, classes, plantedCount, seed);
        try (MatrixView matrix = memShare.retrieveMatrix(namespace, "X")) {
            for (int j = 0; j < features; j++) {
                double[] expected = column(j, rows, data.target(), data.planted(), classes, seed);
                double[] actual = matrix.column(j).toDoubleArray();
                for (int i = 0; i < rows; i++) {
                    assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                        "namespace=" + namespace + ", column=" + j + ", row=" + i);
                }
            }
        } finally {
            memShare.releaseNamespace(namespace);
        }
    }

    /** The definition, value by value (the generator before it wrote through a buffer). */
    private static double[] column(int j, int rows, double[] target, List<Integer> planted, int classes, long seed) {
        double[] strengths = {1.2, 0.9, 0.7, 0.55, 0.45, 0.4, 0.35, 0.3};
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + j);
        int plantedRank = planted.indexOf(j);
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            double value = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
            if (plantedRank >= 0) {
                double cls = target[i];
                double signal = plantedRank % 2 == 0 ? cls : (cls == 1 ? classes : 0);
                value += strengths[plantedRank] * signal;
            }
            values[i] = value;
        }
        return values;
    }
}
