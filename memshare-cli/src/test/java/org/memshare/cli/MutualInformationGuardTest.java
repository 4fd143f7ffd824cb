package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.stats.MutualInformation;
import org.memshare.testing.TempShm;

/**
 * Guards the estimator's results against any change by an optimisation: every mutual information of
 * the demo's data ({@code ./memshare demo}: 10,000 × 2,000, 4 classes, 5 planted, seed 42) against its
 * target, and pairs covering the estimator's other paths (continuous × continuous, discrete ×
 * continuous, discrete × discrete, ties and the smoother's λ below its cap, a zero 18th percentile,
 * dropped non-finite pairs, subsampled radii above 10,000 values, samples below 1,024 values), must
 * stay within 1e−12 relative of the stored values, and the demo's ranking must keep its order.
 *
 * <p>The stored values ({@code src/test/resources/mi/guard_values.bin}, layout in {@link GuardFile})
 * were produced by the estimator before it was optimised. To regenerate them after a deliberate
 * change of the estimator, run this test with {@code -Dmemshare.miGuard.write=<path of the resource>}.
 */
class MutualInformationGuardTest {
    private static final double RELATIVE_TOLERANCE = 1e-12;
    private static final int ROWS = 10_000;
    private static final int FEATURES = 2_000;
    private static final double EPS = MutualInformation.DEFAULT_EPS;

    @RegisterExtension
    final TempShm shm = new TempShm();

    /** One estimate: a label for failure messages and the value. */
    private record Case(String label, double value) {
    }

    @Test
    @Timeout(600)
    void everyDemoValueAndEveryPathMatchesTheStoredValues() throws IOException {
        MemShare memShare = MemShare.forDirectory(shm.directory());
        SyntheticData data = SyntheticData.register(memShare, "guard", "X", ROWS, FEATURES, 4, 5, 42);
        List<Case> cases = new ArrayList<>();
        try (MatrixView matrix = memShare.retrieveMatrix("guard", "X")) {
            compute(matrix, data.target(), data.planted(), cases);
        } finally {
            memShare.releaseNamespace("guard");
        }
        double[] actual = cases.stream().mapToDouble(Case::value).toArray();

        String writeTo = System.getProperty("memshare.miGuard.write");
        byte[] stored;
        if (writeTo != null) {
            stored = GuardFile.encode(actual);
            Files.write(Path.of(writeTo), stored);
        } else {
            stored = resource();
        }
        double[] expected = GuardFile.decode(stored);
        assertEquals(expected.length, actual.length, "number of guarded values");
        int mismatches = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < actual.length; i++) {
            double difference = Math.abs(actual[i] - expected[i]);
            if (!(difference <= RELATIVE_TOLERANCE * Math.abs(expected[i]))) {
                if (mismatches++ < 10) {
                    report.append(String.format("%n  %s: expected=%s, actual=%s", cases.get(i).label(),
                        expected[i], actual[i]));
                }
            }
        }
        if (mismatches > 0) {
            fail(mismatches + " of " + actual.length + " values differ by more than 1e-12 relative:" + report);
        }
        assertEquals(rankingOrder(data, expected), rankingOrder(data, actual), "demo ranking order");
        assertTrue(actual[0] >= 0.0, "first demo value is a valid estimate");
    }

    private static List<String> rankingOrder(SyntheticData data, double[] values) {
        List<FeatureRanking.Score> scores = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            scores.add(new FeatureRanking.Score(data.featureNames().get(j), values[j]));
        }
        return FeatureRanking.ranked(scores).stream().map(FeatureRanking.Score::name).toList();
    }

    private static void compute(MatrixView matrix, double[] target, List<Integer> planted, List<Case> cases) {
        double[][] columns = new double[FEATURES][];
        for (int j = 0; j < FEATURES; j++) {
            columns[j] = matrix.column(j).toDoubleArray();
        }
        // The demo's ranking: every feature against the 4-class target, exactly as FeatureRanking calls it.
        for (int j = 0; j < FEATURES; j++) {
            cases.add(new Case("demo f" + (j + 1), MutualInformation.mutualinfo(columns[j], target, false, true, EPS, true)));
        }
        // Continuous × continuous: neighbours across the matrix and the planted features among themselves.
        for (int j = 0; j + 1 < FEATURES; j += 50) {
            cases.add(new Case("cc f" + (j + 1), MutualInformation.mutualinfo(columns[j], columns[j + 1], false, false, EPS, true)));
        }
        for (int a = 0; a + 1 < planted.size(); a++) {
            cases.add(new Case("cc planted " + planted.get(a), MutualInformation.mutualinfo(columns[planted.get(a)],
                columns[planted.get(a + 1)], false, false, EPS, true)));
        }
        // Discrete x, continuous y (the roles swapped).
        for (int j = 0; j < FEATURES; j += 100) {
            cases.add(new Case("dc f" + (j + 1), MutualInformation.mutualinfo(target, columns[j], true, false, EPS, true)));
        }
        cases.add(new Case("dc planted", MutualInformation.mutualinfo(target, columns[planted.get(0)], true, false, EPS, true)));
        // Both discrete.
        for (int j = 0; j < FEATURES; j += 200) {
            double[] rounded = map(columns[j], Math::rint);
            cases.add(new Case("dd f" + (j + 1), MutualInformation.mutualinfo(rounded, target, true, true, EPS, true)));
        }
        cases.add(new Case("dd planted", MutualInformation.mutualinfo(map(columns[planted.get(1)], Math::rint), target, true, true, EPS, true)));
        // Many ties: fewer than 250 distinct values, so the smoother's λ comes from the distinct count.
        for (int j = 0; j < FEATURES; j += 200) {
            double[] tenths = map(columns[j], v -> Math.rint(v * 10) / 10);
            cases.add(new Case("ties cd f" + (j + 1), MutualInformation.mutualinfo(tenths, target, false, true, EPS, true)));
            double[] halves = map(columns[j + 1], v -> Math.rint(v * 2) / 2);
            cases.add(new Case("ties cc f" + (j + 1), MutualInformation.mutualinfo(tenths, halves, false, false, EPS, true)));
        }
        // Mostly zeros: the 18th percentile of the distances is 0 and the radius falls back.
        for (int j = 0; j < FEATURES; j += 400) {
            double[] sparse = map(columns[j], v -> v > 1.5 ? v : 0.0);
            cases.add(new Case("zero-radius cd f" + (j + 1), MutualInformation.mutualinfo(sparse, target, false, true, EPS, true)));
            cases.add(new Case("zero-radius cc f" + (j + 1), MutualInformation.mutualinfo(sparse, columns[j + 1], false, false, EPS, true)));
        }
        // Non-finite values dropped pairwise.
        for (int j = 0; j < FEATURES; j += 200) {
            double[] gappy = columns[j].clone();
            for (int i = j % 13; i < ROWS; i += 13) {
                gappy[i] = Double.NaN;
            }
            gappy[7] = Double.POSITIVE_INFINITY;
            cases.add(new Case("naRm cd f" + (j + 1), MutualInformation.mutualinfo(gappy, target, false, true, EPS, true)));
            cases.add(new Case("naRm cc f" + (j + 1), MutualInformation.mutualinfo(gappy, columns[j + 1], false, false, EPS, true)));
        }
        // More than 10,000 values: the radius is taken on a subsample.
        double[] doubledTarget = concat(target, target);
        for (int j = 0; j < FEATURES; j += 500) {
            double[] doubled = concat(columns[j], columns[j + 1]);
            cases.add(new Case("subsample cd f" + (j + 1), MutualInformation.mutualinfo(doubled, doubledTarget, false, true, EPS, true)));
            cases.add(new Case("subsample cc f" + (j + 1), MutualInformation.mutualinfo(doubled, concat(columns[j + 2], columns[j + 3]),
                false, false, EPS, true)));
        }
        // Fewer than 1,024 values: the radius is not rescaled.
        for (int j = 0; j < FEATURES; j += 200) {
            double[] head = Arrays.copyOf(columns[j], 500);
            cases.add(new Case("small cd f" + (j + 1), MutualInformation.mutualinfo(head, Arrays.copyOf(target, 500), false, true, EPS, true)));
            cases.add(new Case("small cc f" + (j + 1), MutualInformation.mutualinfo(head, Arrays.copyOf(columns[j + 1], 500),
                false, false, EPS, true)));
        }
    }

    private static double[] map(double[] values, DoubleUnaryOperator f) {
        return Arrays.stream(values).map(f).toArray();
    }

    private static double[] concat(double[] a, double[] b) {
        double[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = MutualInformationGuardTest.class.getResourceAsStream("/mi/guard_values.bin")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource: resource=/mi/guard_values.bin");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The stored values, big-endian:
     * <pre>
     *  0       4       8                          8 + 8·count      16 + 8·count
     *  +-------+-------+--------------------------+----------------+
     *  | magic | count | count IEEE 754 doubles   | CRC32 of all   |
     *  | MIGV  | int   | in the test's case order | before, as long|
     *  +-------+-------+--------------------------+----------------+
     * </pre>
     */
    static final class GuardFile {
        static final int MAGIC = 0x4D49_4756; // "MIGV"
        static final int MAGIC_OFFSET = 0;
        static final int COUNT_OFFSET = 4;
        static final int VALUES_OFFSET = 8;

        private GuardFile() {
        }

        static byte[] encode(double[] values) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(values.length);
            for (double v : values) {
                out.writeDouble(v);
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        }

        static double[] decode(byte[] file) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IllegalStateException("not a guard file: magic=" + Integer.toHexString(magic));
            }
            int count = in.readInt();
            long expectedLength = VALUES_OFFSET + 8L * count + 8;
            if (count < 0 || file.length != expectedLength) {
                throw new IllegalStateException("guard file size wrong: count=" + count + ", bytes=" + file.length);
            }
            double[] values = new double[count];
            for (int i = 0; i < count; i++) {
                values[i] = in.readDouble();
            }
            CRC32 crc = new CRC32();
            crc.update(file, MAGIC_OFFSET, VALUES_OFFSET + 8 * count);
            long stored = in.readLong();
            if (stored != crc.getValue()) {
                throw new IllegalStateException("guard file checksum wrong: stored=" + stored + ", computed=" + crc.getValue());
            }
            return values;
        }
    }
}
