package org.memshare.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The exact order statistics of the pairwise distances sorted[j] − sorted[i] (i &lt; j, each difference
 * as a double subtraction gives it) of a sorted sample, without materialising the m(m−1)/2 pairs.
 *
 * <p>A bracket (lo, hi] with count(≤ lo) ≤ index &lt; count(≤ hi) is narrowed by counting sweeps (O(m)
 * each, two pointers that only move right) at thresholds chosen where the wanted rank should lie: the
 * first from the quantiles of a small random sample of pairs, later ones by linear interpolation of
 * the counts inside the bracket, each with a safety margin on both sides. Three sweeps typically bring
 * the bracket under a few thousand pairs, whose distances are then collected and the wanted one
 * selected. The random sample only steers the search; the result is the exact order statistic.
 */
final class PairwiseDistanceSelection {

    /** Pairs sampled to place the first bracket. */
    private static final int SAMPLE_PAIRS = 1024;
    /** Half-width of the first bracket in standard errors of the sampled quantile. */
    private static final double SAMPLE_MARGIN = 3.0;
    /** Half-width of an interpolated bracket as a share of the pairs in the current one. */
    private static final double INTERPOLATION_MARGIN = 0.02;
    /** Fixed seed of the steering sample, so the sweeps made repeat run to run. */
    private static final long SEED = 0x5EEDL;

    private PairwiseDistanceSelection() {
    }

    /**
     * The (index+1)-th smallest pairwise distance: the smallest d with more than {@code index} pairs
     * at a distance ≤ d.
     *
     * @param sorted finite values in ascending order, at least two
     * @param index  0-based rank, below m(m−1)/2
     */
    static double orderStatistic(double[] sorted, long index) {
        int n = sorted.length;
        long pairs = (long) n * (n - 1) / 2;
        // Collecting costs about as much per pair as a sweep per value: stop sweeping below this.
        long collectBelow = 2L * n + 4096;

        // The bracket: lo = -1 stands for "below every distance" (count 0), hi = the largest distance.
        double lo = -1.0;
        double hi = sorted[n - 1] - sorted[0];
        long countLo = 0;
        long countHi = pairs;
        double[] thresholds = sampledBracket(sorted, index, pairs);
        double margin = INTERPOLATION_MARGIN;
        while (countHi - countLo > collectBelow) {
            if (hi == 0.0 || (lo >= 0.0 && Math.nextUp(lo) >= hi)) {
                return hi; // no double lies strictly inside (lo, hi): every pair in it sits at hi
            }
            double first = thresholds[0];
            double second = thresholds[1];
            boolean countFirst = first > lo && first < hi && first >= 0.0;
            boolean countSecond = second > lo && second < hi && second >= 0.0 && second != first;
            if (!countFirst && !countSecond) {
                // nothing usable inside: halve the value interval (progress is then guaranteed)
                first = lo < 0.0 ? 0.0 : lo + 0.5 * (hi - lo);
                countFirst = true;
            }
            long[] counts = countWithin(sorted, countFirst ? first : -1.0, countSecond ? second : -1.0);
            long countFirstValue = countFirst ? counts[0] : countLo;
            long countSecondValue = countSecond ? counts[1] : countHi;
            boolean hit = false;
            if (countFirst && countFirstValue > index) {
                hi = first;
                countHi = countFirstValue;
            } else if (countSecond && countSecondValue <= index) {
                lo = second;
                countLo = countSecondValue;
            } else {
                if (countFirst) {
                    lo = first;
                    countLo = countFirstValue;
                }
                if (countSecond) {
                    hi = second;
                    countHi = countSecondValue;
                }
                hit = true;
            }
            margin = hit ? INTERPOLATION_MARGIN : Math.min(0.5, margin * 4);
            thresholds = interpolatedBracket(Math.max(lo, 0.0), hi, countLo, countHi, index, margin);
        }
        double[] between = distancesBetween(sorted, lo, hi, (int) (countHi - countLo));
        return select(between, (int) (index - countLo));
    }

    /** Two thresholds around where the sampled quantile of rank index/pairs lies. */
    private static double[] sampledBracket(double[] sorted, long index, long pairs) {
        int n = sorted.length;
        SplittableRandom random = new SplittableRandom(SEED);
        double[] sample = new double[SAMPLE_PAIRS];
        for (int s = 0; s < SAMPLE_PAIRS; s++) {
            int i = random.nextInt(n);
            int j = random.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            sample[s] = Math.abs(sorted[Math.max(i, j)] - sorted[Math.min(i, j)]);
        }
        Arrays.sort(sample);
        double q = (index + 0.5) / pairs;
        double spread = SAMPLE_MARGIN * Math.sqrt(SAMPLE_PAIRS * q * (1 - q));
        int lower = (int) Math.floor(SAMPLE_PAIRS * q - spread) - 1;
        int upper = (int) Math.ceil(SAMPLE_PAIRS * q + spread) + 1;
        return new double[] {
            lower < 0 ? -1.0 : sample[lower],
            upper >= SAMPLE_PAIRS ? Double.POSITIVE_INFINITY : sample[upper]
        };
    }

    /** Two thresholds around the linear interpolation of the rank inside (lo, hi]. */
    private static double[] interpolatedBracket(double lo, double hi, long countLo, long countHi, long index,
                                                double margin) {
        double inside = countHi - countLo;
        double wanted = (index + 0.5 - countLo) / inside;
        double width = hi - lo;
        return new double[] {lo + width * (wanted - margin), lo + width * (wanted + margin)};
    }

    /**
     * Pairs at a distance ≤ each of two non-negative thresholds, in one sweep; a negative threshold is
     * skipped (its count is left 0).
     */
    static long[] countWithin(double[] sorted, double first, double second) {
        int n = sorted.length;
        long countFirst = 0;
        long countSecond = 0;
        int j1 = 0;
        int j2 = 0;
        boolean useFirst = first >= 0.0;
        boolean useSecond = second >= 0.0;
        for (int i = 0; i < n; i++) {
            double base = sorted[i];
            if (useFirst) {
                while (j1 < n && sorted[j1] - base <= first) {
                    j1++;
                }
                countFirst += j1 - i - 1;
            }
            if (useSecond) {
                while (j2 < n && sorted[j2] - base <= second) {
                    j2++;
                }
                countSecond += j2 - i - 1;
            }
        }
        return new long[] {countFirst, countSecond};
    }

    /** The distances d of the pairs with lo &lt; d ≤ hi (there are {@code size}). */
    static double[] distancesBetween(double[] sorted, double lo, double hi, int size) {
        double[] distances = new double[size];
        int next = 0;
        int n = sorted.length;
        int first = 0;
        int end = 0;
        for (int i = 0; i < n; i++) {
            // For this i, partners first..end-1 have lo < distance <= hi; both bounds only move right.
            first = Math.max(first, i + 1);
            while (first < n && sorted[first] - sorted[i] <= lo) {
                first++;
            }
            end = Math.max(end, first);
            while (end < n && sorted[end] - sorted[i] <= hi) {
                end++;
            }
            for (int j = first; j < end; j++) {
                distances[next++] = sorted[j] - sorted[i];
            }
        }
        return distances;
    }

    /** The (rank+1)-th smallest value (quickselect; the array is reordered). */
    static double select(double[] values, int rank) {
        int left = 0;
        int right = values.length - 1;
        while (right > left) {
            int middle = (left + right) >>> 1;
            // median of three as pivot keeps sorted and reversed runs linear
            if (values[middle] < values[left]) {
                swap(values, middle, left);
            }
            if (values[right] < values[left]) {
                swap(values, right, left);
            }
            if (values[right] < values[middle]) {
                swap(values, right, middle);
            }
            double pivot = values[middle];
            int i = left;
            int j = right;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(values, i, j);
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                right = j;
            } else if (rank >= i) {
                left = i;
            } else {
                return values[rank];
            }
        }
        return values[rank];
    }

    private static void swap(double[] values, int a, int b) {
        double t = values[a];
        values[a] = values[b];
        values[b] = t;
    }
}
