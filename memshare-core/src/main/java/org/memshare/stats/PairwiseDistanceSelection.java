package org.memshare.stats;

import java.util.Arrays;


/**
 * The exact order statistics of the pairwise distances sorted[j] − sorted[i] (i &lt; j, each difference
 * as a double subtraction gives it) of a sorted sample, without materialising the m(m−1)/2 pairs.
 *
 * <p>A bracket (lo, hi] with count(≤ lo) ≤ index &lt; count(≤ hi) is narrowed by counting sweeps (O(m)
 * each, two pointers that only move right) at thresholds chosen where the wanted rank should lie: the
 * first from the quantiles of a small random sample of pairs, later ones by linear interpolation of
 * the counts inside the bracket, each with a safety margin on both sides. The sweep expected to leave
 * a bracket of a few thousand pairs also collects their distances, and the wanted one is selected
 * among them; two or three sweeps in all for samples of 4,000 to 10,000 values. The random sample only steers the search; the result is the exact order statistic.
 */
final class PairwiseDistanceSelection {

    /** Pairs sampled to place the first bracket. */
    private static final int SAMPLE_PAIRS = 2048;
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
        // Collecting a distance costs about what a sweep costs per value: collect below this many.
        int collectBelow = 4 * n + 4096;
        if (pairs <= collectBelow) {
            double[] all = new double[(int) pairs + 4]; // the sweep's write slack
            sweep(sorted, -1.0, Double.POSITIVE_INFINITY, all);
            Arrays.sort(all, 0, (int) pairs);
            return all[(int) index];
        }

        // The bracket: lo = -1 stands for "below every distance" (count 0), hi = the largest distance.
        double lo = -1.0;
        double hi = sorted[n - 1] - sorted[0];
        long countLo = 0;
        long countHi = pairs;
        double[] thresholds = sampledBracket(sorted, index, pairs);
        double q = (double) index / pairs;
        double expected = 2 * SAMPLE_MARGIN * Math.sqrt(q * (1 - q) / SAMPLE_PAIRS) * pairs;
        double margin = INTERPOLATION_MARGIN;
        double[] collected = null;
        while (true) {
            if (hi == 0.0 || (lo >= 0.0 && Math.nextUp(lo) >= hi)) {
                return hi; // no double lies strictly inside (lo, hi): every pair in it sits at hi
            }
            double first = thresholds[0];
            double second = thresholds[1];
            boolean countFirst = first > lo && first < hi;
            boolean countSecond = second > lo && second < hi && second > first;
            if (!countFirst && !countSecond) {
                // nothing usable inside: halve the value interval (progress is then guaranteed)
                first = lo < 0.0 ? 0.0 : lo + 0.5 * (hi - lo);
                if (!(first > lo && first < hi)) {
                    first = Math.nextUp(lo); // strictly inside, as checked above
                }
                countFirst = true;
            }
            double from = countFirst ? first : lo;
            double to = countSecond ? second : hi;
            // When the new bracket should be small, the sweep that counts it also collects its distances.
            boolean collect = expected <= collectBelow || countHi - countLo <= collectBelow;
            if (collect && collected == null) {
                collected = Workspace.current().distances(collectBelow + 4);
            }
            long[] counts = sweep(sorted, from, to, collect ? collected : null);
            long countFrom = countFirst ? counts[0] : countLo;
            long countTo = countSecond ? counts[1] : countHi;
            boolean hit = false;
            if (countFrom > index) {
                hi = from;
                countHi = countFrom;
            } else if (countTo <= index) {
                lo = to;
                countLo = countTo;
            } else {
                lo = from;
                countLo = countFrom;
                hi = to;
                countHi = countTo;
                hit = true;
                if (collect && countHi - countLo <= collected.length - 4) {
                    return selectInRange(collected, (int) (countHi - countLo), (int) (index - countLo), lo, hi);
                }
            }
            margin = hit ? INTERPOLATION_MARGIN : Math.min(0.5, margin * 4);
            thresholds = interpolatedBracket(Math.max(lo, 0.0), hi, countLo, countHi, index, margin);
            expected = 2 * margin * (countHi - countLo);
        }
    }

    /** Two thresholds around where the sampled quantile of rank index/pairs lies. */
    private static double[] sampledBracket(double[] sorted, long index, long pairs) {
        int n = sorted.length;
        double[] sample = Workspace.current().pairSample(SAMPLE_PAIRS);
        long state = SEED;
        for (int s = 0; s < SAMPLE_PAIRS; s++) {
            // two indices from one 64-bit step (a fixed-seed LCG is plenty to steer the search)
            state = state * 6364136223846793005L + 1442695040888963407L;
            int i = (int) (((state >>> 32) * n) >>> 32);
            int j = (int) (((state & 0xFFFF_FFFFL) * (n - 1)) >>> 32);
            if (j >= i) {
                j++;
            }
            sample[s] = Math.abs(sorted[j] - sorted[i]);
        }
        double q = (index + 0.5) / pairs;
        double spread = SAMPLE_MARGIN * Math.sqrt(SAMPLE_PAIRS * q * (1 - q));
        int lower = (int) Math.floor(SAMPLE_PAIRS * q - spread) - 1;
        int upper = (int) Math.ceil(SAMPLE_PAIRS * q + spread) + 1;
        Arrays.sort(sample); // vectorised: cheaper than two selections, whose comparisons mispredict
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
     * Pairs at a distance ≤ {@code from} and ≤ {@code to} (from ≤ to), in one sweep; a negative
     * threshold counts 0. With {@code into}, the distances in (from, to] are also written to it, as
     * many as fit.
     */
    static long[] sweep(double[] sorted, double from, double to, double[] into) {
        int n = sorted.length;
        long countFrom = 0;
        long countTo = 0;
        int first = 0;
        int end = 0;
        int next = 0;
        // Four slots of slack: each row writes four distances unconditionally (rows rarely have
        // more in a narrow bracket) and keeps as many as it has, so the copy needs no loop branch.
        // Without a target array, or once it overflowed, nothing is written (-1: never room).
        int capacity = into == null ? -1 : into.length - 4;
        for (int i = 0; i < n; i++) {
            double base = sorted[i];
            // partners before first are within from, before end within to; both only move right
            first = advance(sorted, Math.max(first, i + 1), base, from);
            end = advance(sorted, Math.max(end, i + 1), base, to);
            countFrom += first - i - 1;
            countTo += end - i - 1;
            int inRow = end - first;
            if (inRow > capacity - next) {
                capacity = -1;
                next = 0;
            } else if (inRow <= 4 && first + 4 <= n) {
                into[next] = sorted[first] - base;
                into[next + 1] = sorted[first + 1] - base;
                into[next + 2] = sorted[first + 2] - base;
                into[next + 3] = sorted[first + 3] - base;
                next += inRow;
            } else {
                for (int j = first; j < end; j++) {
                    into[next++] = sorted[j] - base;
                }
            }
        }
        return new long[] {countFrom, countTo};
    }

    /**
     * The first index from j on whose distance to base exceeds d. The distances grow with the index,
     * so the next four tests are summed without branches (the pointer moves about once per value,
     * which a loop branch would mispredict about half the time); only longer moves loop.
     */
    private static int advance(double[] sorted, int j, double base, double d) {
        int n = sorted.length;
        if (j + 4 <= n) {
            int moved = (sorted[j] - base <= d ? 1 : 0) + (sorted[j + 1] - base <= d ? 1 : 0)
                + (sorted[j + 2] - base <= d ? 1 : 0) + (sorted[j + 3] - base <= d ? 1 : 0);
            j += moved;
            if (moved < 4) {
                return j;
            }
        }
        while (j < n && sorted[j] - base <= d) {
            j++;
        }
        return j;
    }

    /** Pairs at a distance ≤ d (d ≥ 0). */
    static long countWithin(double[] sorted, double d) {
        int n = sorted.length;
        long count = 0;
        int end = 0;
        for (int i = 0; i < n; i++) {
            end = advance(sorted, Math.max(end, i + 1), sorted[i], d);
            count += end - i - 1;
        }
        return count;
    }

    /**
     * The (rank+1)-th smallest of values[0..size), all of which lie in (lo, hi]. A comparison-based
     * selection mispredicts about every other comparison on such data; instead the values are counted
     * into buckets of equal width (the bucket index grows with the value, so buckets are ordered),
     * the bucket holding the rank is found from the counts, and only its few values are sorted.
     * Both passes are free of data-dependent branches.
     */
    static double selectInRange(double[] values, int size, int rank, double lo, double hi) {
        int buckets = Integer.highestOneBit(Math.max(16, size / 4));
        double scale = buckets / (hi - Math.max(lo, 0.0));
        double origin = Math.max(lo, 0.0);
        int[] counts = new int[buckets];
        for (int v = 0; v < size; v++) {
            counts[bucketOf(values[v], origin, scale, buckets)]++;
        }
        int bucket = 0;
        int below = 0;
        while (below + counts[bucket] <= rank) {
            below += counts[bucket];
            bucket++;
        }
        double[] inBucket = new double[counts[bucket] + 1];
        int kept = 0;
        for (int v = 0; v < size; v++) {
            double value = values[v];
            inBucket[kept] = value;
            kept += bucketOf(value, origin, scale, buckets) == bucket ? 1 : 0;
        }
        Arrays.sort(inBucket, 0, kept);
        return inBucket[rank - below];
    }

    /** Monotone in the value: floor of a non-negative multiple of (value − origin), clamped. */
    private static int bucketOf(double value, double origin, double scale, int buckets) {
        double position = (value - origin) * scale;
        return (int) Math.min(buckets - 1, Math.max(0.0, position));
    }
}
