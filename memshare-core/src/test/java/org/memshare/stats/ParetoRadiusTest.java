package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ParetoRadiusTest {

    private static double[] normals(int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /** Brute force: the (⌊0.18·M⌋+1)-th smallest of all pairwise distances. */
    private static double bruteForcePercentile(double[] x) {
        int n = x.length;
        double[] distances = new double[n * (n - 1) / 2];
        int next = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distances[next++] = Math.abs(x[i] - x[j]);
            }
        }
        Arrays.sort(distances);
        return distances[(int) Math.floor(0.18 * distances.length)];
    }

    @Test
    void bisectionConvergesToThePairwisePercentile() {
        double[] x = normals(700, 1);
        double expected = bruteForcePercentile(x);
        assertEquals(expected, ParetoRadius.of(x), 1e-8 * (1 + expected));
    }

    @Test
    void largeSamplesAreScaledByTheFifthRootOf1024OverN() {
        double[] x = normals(3000, 2);
        double expected = bruteForcePercentile(x) * Math.pow(1024.0 / 3000, 0.2);
        assertEquals(expected, ParetoRadius.of(x), 1e-8 * (1 + expected));
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        double[] x = normals(300, 3);
        double[] withGaps = Arrays.copyOf(x, 303);
        withGaps[300] = Double.NaN;
        withGaps[301] = Double.POSITIVE_INFINITY;
        withGaps[302] = Double.NEGATIVE_INFINITY;
        assertEquals(ParetoRadius.of(x), ParetoRadius.of(withGaps), 0.0);
    }

    @Test
    void constantTooSmallOrEmptySamplesHaveNoRadius() {
        assertTrue(Double.isNaN(ParetoRadius.of(new double[] {2.5, 2.5, 2.5, 2.5})));
        assertTrue(Double.isNaN(ParetoRadius.of(new double[] {1.0})));
        assertTrue(Double.isNaN(ParetoRadius.of(new double[0])));
        assertTrue(Double.isNaN(ParetoRadius.of(new double[] {Double.NaN, Double.NaN, 3.0})));
    }

    @Test
    void pairwiseOrderStatisticsAreExact() {
        double[] sorted = {0.0, 0.0, 0.0, 0.1, 0.4, 1.0};
        double[] all = new double[15];
        int next = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                all[next++] = sorted[j] - sorted[i];
            }
        }
        Arrays.sort(all);
        for (int k = 0; k < all.length; k++) {
            assertEquals(all[k], PairwiseDistanceSelection.orderStatistic(sorted, k), 0.0, "k=" + k);
        }
    }

    @Test
    void samplingPathIsReproducibleAndCloseToTheExactValue() {
        double[] x = normals(25_000, 4);
        double sampled = ParetoRadius.of(x);
        assertEquals(sampled, ParetoRadius.of(x), 0.0, "default seed repeats");
        assertEquals(ParetoRadius.of(x, 77L), ParetoRadius.of(x, 77L), 0.0, "same seed repeats");
        assertNotEquals(ParetoRadius.of(x, 77L), ParetoRadius.of(x, 78L), "the sample really depends on the seed");

        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double exact = exactScaledRadius(sorted);
        assertEquals(exact, sampled, 0.03 * exact);
        assertEquals(exact, ParetoRadius.of(x, 78L), 0.03 * exact);
    }

    /** The radius on all 25,000 values without subsampling, via the same bisection. */
    private static double exactScaledRadius(double[] sorted) {
        return ParetoRadius.ofSortedSample(sorted, sorted.length);
    }

    @Test
    void nullIsRejectedByName() {
        assertEquals("x", assertThrows(NullPointerException.class, () -> ParetoRadius.of(null)).getMessage());
        assertEquals("random", assertThrows(NullPointerException.class,
                () -> ParetoRadius.of(new double[3], (RandomGenerator) null)).getMessage());
    }

    /** R's bisection exactly as docs/MUTUAL_INFORMATION.md describes it: a full two-pointer sweep for every midpoint. */
    private static double fullSweepBisection(double[] sorted) {
        int n = sorted.length;
        long k = (long) Math.floor(0.18 * ((long) n * (n - 1) / 2));
        double lo = 0.0;
        double hi = sorted[n - 1] - sorted[0];
        double best = hi;
        while (hi - lo > 1e-9 * (1.0 + hi)) {
            double mid = 0.5 * (lo + hi);
            if (PairwiseDistanceSelection.countWithin(sorted, mid) > k) {
                best = mid;
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return best;
    }

    @org.junit.jupiter.api.Test
    void collectingTheLastCandidatePairsChangesNoResult() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 60; trial++) {
            int n = 3 + random.nextInt(1022); // no small-sample factor above 1024: compare exactly
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = switch (trial % 3) {
                    case 0 -> random.nextGaussian();
                    case 1 -> random.nextInt(25);              // many ties
                    default -> Math.exp(3 * random.nextGaussian()); // heavy tail
                };
            }
            Arrays.sort(x);
            double expected = fullSweepBisection(x);
            if (expected != 0.0) {
                org.junit.jupiter.api.Assertions.assertEquals(expected, ParetoRadius.of(x), 0.0, "trial=" + trial + ", n=" + n);
            }
        }
    }
}
