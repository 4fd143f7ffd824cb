package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The selected order statistics equal those of the fully materialised, sorted list of distances. */
class PairwiseDistanceSelectionTest {

    @Test
    void everyRankOfSmallSamplesMatchesTheSortedDistances() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 40; trial++) {
            double[] sorted = sample(random, 2 + random.nextInt(60), trial % 4);
            double[] all = allDistances(sorted);
            for (int k = 0; k < all.length; k++) {
                assertEquals(all[k], PairwiseDistanceSelection.orderStatistic(sorted, k), 0.0,
                    "trial=" + trial + ", k=" + k);
            }
        }
    }

    @Test
    void ranksOfLargeSamplesMatchTheSortedDistances() {
        // large enough that the sweeps narrow the bracket before the distances are collected
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 8; trial++) {
            double[] sorted = sample(random, 600 + random.nextInt(900), trial % 4);
            double[] all = allDistances(sorted);
            for (double p : new double[] {0.0, 1e-6, 0.01, 0.18, 0.5, 0.97, 1.0}) {
                int k = (int) Math.min(all.length - 1, Math.floor(p * all.length));
                assertEquals(all[k], PairwiseDistanceSelection.orderStatistic(sorted, k), 0.0,
                    "trial=" + trial + ", p=" + p);
            }
        }
    }

    /** Kinds: 0 Gaussian, 1 small integers (ties everywhere), 2 mostly zeros, 3 clustered with outliers. */
    private static double[] sample(SplittableRandom random, int n, int kind) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case 0 -> random.nextGaussian();
                case 1 -> random.nextInt(7);
                case 2 -> random.nextInt(10) == 0 ? random.nextGaussian() : 0.0;
                default -> random.nextInt(50) == 0 ? 1e6 * random.nextGaussian() : 1e-3 * random.nextGaussian();
            };
        }
        Arrays.sort(x);
        return x;
    }

    private static double[] allDistances(double[] sorted) {
        int n = sorted.length;
        double[] all = new double[n * (n - 1) / 2];
        int next = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                all[next++] = sorted[j] - sorted[i];
            }
        }
        Arrays.sort(all);
        return all;
    }
}
