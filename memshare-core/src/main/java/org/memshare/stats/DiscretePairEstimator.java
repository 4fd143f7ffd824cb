package org.memshare.stats;

import java.util.Arrays;

/**
 * Both variables discrete: the plug-in estimate Σ p_ij·ln(p_ij / (p_i·p_j)) over the full contingency
 * table of distinct values, in nats. The table is never materialised (it can have K_x·K_y cells):
 * pairs are encoded as one long per observation, sorted, and counted run by run.
 */
final class DiscretePairEstimator {

    private DiscretePairEstimator() {
    }

    static double estimate(double[] x, double[] y) {
        int n = x.length;
        DiscreteClasses classesX = DiscreteClasses.of(x);
        DiscreteClasses classesY = DiscreteClasses.of(y);
        int[] codeX = new int[n];
        int[] codeY = new int[n];
        int[] countX = new int[classesX.count()];
        int[] countY = new int[classesY.count()];
        long[] pairCodes = new long[n];
        for (int p = 0; p < n; p++) {
            codeX[p] = classesX.indexOf(x[p]);
            codeY[p] = classesY.indexOf(y[p]);
            countX[codeX[p]]++;
            countY[codeY[p]]++;
            pairCodes[p] = ((long) codeX[p] << 32) | codeY[p];
        }
        Arrays.sort(pairCodes);
        double weightedSum = 0.0;
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && pairCodes[end] == pairCodes[start]) {
                end++;
            }
            int cx = (int) (pairCodes[start] >>> 32);
            int cy = (int) pairCodes[start];
            double joint = end - start;
            // p_ij·ln(p_ij/(p_i p_j)) = (c_ij/n)·ln(c_ij·n/(c_i·c_j)); the 1/n is applied once at the end
            weightedSum += joint * Math.log(joint * n / ((double) countX[cx] * countY[cy]));
            start = end;
        }
        return weightedSum / n;
    }
}
