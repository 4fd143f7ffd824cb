package org.memshare.stats;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Per-pair timings of the estimator at n = 4,000 beside a trivial baseline (sorting the same 4,000
 * values) measured in the same run. Not a test; run with
 * {@code java -cp target/classes:target/test-classes org.memshare.stats.MutualInformationTiming}.
 */
public final class MutualInformationTiming {

    private static final int RUNS = 30;
    private static volatile double sink;

    private MutualInformationTiming() {
    }

    public static void main(String[] args) {
        int n = 4000;
        Random random = new Random(4000);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] classes = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
            y[i] = 0.5 * x[i] + Math.sqrt(0.75) * random.nextGaussian();
            classes[i] = x[i] + 0.5 * random.nextGaussian() > 0 ? (x[i] > 1 ? 3 : 2) : 1;
        }
        double[] mixedX = StatsFixtures.column("cd_help_n4000.csv", 0);
        double[] mixedY = StatsFixtures.column("cd_help_n4000.csv", 1);

        double baseline = medianMillis(() -> {
            double[] copy = x.clone();
            Arrays.sort(copy);
            return copy[n / 2];
        });
        double cc = medianMillis(() -> MutualInformation.mutualinfo(x, y));
        double cd = medianMillis(() -> MutualInformation.mutualinfo(x, classes, false, true));
        double cdFixture = medianMillis(() -> MutualInformation.mutualinfo(mixedX, mixedY, false, true));
        double dd = medianMillis(() -> MutualInformation.mutualinfo(classes, classes, true, true));
        System.out.printf("n=%d, median of %d runs after warm-up, single thread%n", n, RUNS);
        System.out.printf("baseline sort(4000)             %8.3f ms%n", baseline);
        System.out.printf("continuous x continuous         %8.3f ms  ratio=%.0f%n", cc, cc / baseline);
        System.out.printf("continuous x discrete (3 cls)   %8.3f ms  ratio=%.1f%n", cd, cd / baseline);
        System.out.printf("continuous x discrete (fixture) %8.3f ms  ratio=%.1f%n", cdFixture, cdFixture / baseline);
        System.out.printf("discrete x discrete             %8.3f ms  ratio=%.1f%n", dd, dd / baseline);
        printFixtureAgreement();
    }

    private static void printFixtureAgreement() {
        for (String[] row : StatsFixtures.rows("expected_mi.csv")) {
            double expected = Double.parseDouble(row[5]);
            double[] a = StatsFixtures.column(row[0] + ".csv", 0);
            double[] b = StatsFixtures.column(row[0] + ".csv", 1);
            double actual = MutualInformation.mutualinfo(a, b, Boolean.parseBoolean(row[2].toLowerCase()),
                    Boolean.parseBoolean(row[3].toLowerCase()), MutualInformation.DEFAULT_EPS,
                    Boolean.parseBoolean(row[4].toLowerCase()));
            System.out.printf("%-20s R=%.15g Java=%.15g rel=%.2e%n", row[0], expected, actual,
                    Math.abs(actual - expected) / Math.abs(expected));
        }
    }

    private static double medianMillis(DoubleSupplier work) {
        for (int i = 0; i < RUNS; i++) {
            sink = work.getAsDouble();
        }
        double[] millis = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            sink = work.getAsDouble();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[RUNS / 2];
    }
}
