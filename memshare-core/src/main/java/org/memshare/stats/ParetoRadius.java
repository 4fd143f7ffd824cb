package org.memshare.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The Pareto radius of a sample: the kernel width memshare's mutual-information estimator uses for a
 * continuous variable (DataVisualizations::ParetoRadius_fast in R).
 *
 * <p>With m finite values and M = m(m−1)/2 pairs, the radius is the smallest distance d (found by
 * bisection to a relative tolerance of 1e−9) for which more than ⌊0.18·M⌋ pairs lie within d, i.e.
 * (a value just above) the 18th percentile of all absolute pairwise differences. It is computed
 * without materialising the pairs: the sample is sorted once, the (⌊0.18·M⌋+1)-th smallest distance is
 * selected exactly (a few O(m) sweeps) and R's bisection is replayed
 * against it. For more than {@value #MAXIMUM_SAMPLE_SIZE} values, the
 * radius is taken on {@value #MAXIMUM_SAMPLE_SIZE} values drawn with replacement; for more than 1024
 * values it is scaled by (1024/n)^(1/5), n counting all finite values.
 *
 * {@snippet :
 * double[] sample = {0.3, 1.7, 2.2, 2.9, 4.1, 5.0};
 * double radius = ParetoRadius.of(sample);              // deterministic
 * double same = ParetoRadius.of(sample, 42L);           // seed matters only above 10,000 values
 * if (Double.isNaN(radius)) {
 *     // constant or empty sample: no radius exists
 * }
 * }
 */
public final class ParetoRadius {

    /** Largest sample on which the radius is computed exactly; larger inputs are subsampled. */
    public static final int MAXIMUM_SAMPLE_SIZE = 10_000;

    /** Seed of the subsampling generator used by {@link #of(double[])}, so results repeat run to run. */
    public static final long DEFAULT_SEED = 0x5EED_2025L;

    /** Share of pairwise distances that lie below the radius (Ultsch's "minimal unrealised potential"). */
    static final double PARETO_PERCENTILE = 0.18;

    /** Relative stopping tolerance of the bisection, as in R: stop when hi − lo ≤ 1e−9·(1 + hi). */
    static final double BISECTION_TOLERANCE = 1e-9;

    private ParetoRadius() {
    }

    /**
     * Pareto radius with the default seed ({@link #DEFAULT_SEED}) for the subsampling case.
     *
     * @param x sample; non-finite values are ignored
     * @return the radius, or NaN when fewer than two finite values remain or all are equal
     * @throws NullPointerException if {@code x} is null
     */
    public static double of(double[] x) {
        return of(x, DEFAULT_SEED);
    }

    /**
     * Pareto radius, subsampling with a {@link SplittableRandom} of the given seed when needed.
     *
     * @param x    sample; non-finite values are ignored
     * @param seed seed for the draw of {@value #MAXIMUM_SAMPLE_SIZE} values when there are more
     * @return the radius, or NaN when fewer than two finite values remain or all are equal
     * @throws NullPointerException if {@code x} is null
     */
    public static double of(double[] x, long seed) {
        return of(x, new SplittableRandom(seed));
    }

    /**
     * Pareto radius, subsampling with the given generator when there are more than
     * {@value #MAXIMUM_SAMPLE_SIZE} finite values (the generator is not touched otherwise).
     *
     * @param x      sample; non-finite values are ignored
     * @param random source of the indices drawn with replacement
     * @return the radius, or NaN when fewer than two finite values remain or all are equal
     * @throws NullPointerException if {@code x} or {@code random} is null
     */
    public static double of(double[] x, RandomGenerator random) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(random, "random");
        double[] finite = finiteValues(x);
        int n = finite.length;
        double[] sample = n > MAXIMUM_SAMPLE_SIZE ? drawWithReplacement(finite, MAXIMUM_SAMPLE_SIZE, random) : finite;
        Arrays.sort(sample);
        return ofSortedSample(sample, n);
    }

    /**
     * Radius of an already sorted, finite sample standing for {@code populationSize} values; the
     * (1024/n)^(1/5) scaling uses the population size, as R does.
     */
    static double ofSortedSample(double[] sorted, int populationSize) {
        if (sorted.length < 2) {
            return Double.NaN; // R's quantileDist1d returns NA: no pair exists
        }
        double radius = percentileByBisection(sorted);
        if (radius == 0.0) {
            radius = smallestPositivePercentile(sorted);
        }
        if (!Double.isFinite(radius)) {
            return Double.NaN;
        }
        if (populationSize > 1024) {
            // written as R writes it (4 / n^0.2), not (1024/n)^0.2, to agree to the last bit
            radius = radius * 4.0 / Math.pow(populationSize, 0.2);
        }
        return radius;
    }

    private static double percentileByBisection(double[] sorted) {
        int n = sorted.length;
        long k = rankOfParetoPercentile(n);
        double lo = 0.0;
        double hi = sorted[n - 1] - sorted[0];
        // R starts from hi and only replaces it by midpoints that hold more than k pairs; a constant
        // sample therefore yields exactly 0, the only way the zero fallback can be reached.
        double best = hi;
        // A midpoint holds more than k pairs exactly when it is at least the (k+1)-th smallest distance,
        // so once that distance is known, R's bisection runs without a single counting sweep: the
        // same midpoints and decisions, hence the same result to the last bit.
        double kthDistance = PairwiseDistanceSelection.orderStatistic(sorted, k);
        while (hi - lo > BISECTION_TOLERANCE * (1.0 + hi)) {
            double mid = 0.5 * (lo + hi);
            if (mid >= kthDistance) {
                best = mid;
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return best;
    }

    private static long rankOfParetoPercentile(int m) {
        long pairs = (long) m * (m - 1) / 2;
        return (long) Math.floor(PARETO_PERCENTILE * pairs);
    }

    /**
     * R's fallback: the smallest positive value among the 1st..100th percentiles of the pairwise
     * distances, each percentile p being the order statistic at 0-based index ⌊M·(p − 1e−9)⌋
     * (quantile4LargeVectors, not R's quantile type 7). NaN when all of them are 0.
     */
    private static double smallestPositivePercentile(double[] sorted) {
        long pairs = (long) sorted.length * (sorted.length - 1) / 2;
        for (int percent = 1; percent <= 100; percent++) {
            long index = (long) Math.floor(pairs * (percent / 100.0 - 1e-9));
            index = Math.min(pairs - 1, Math.max(0, index));
            double distance = PairwiseDistanceSelection.orderStatistic(sorted, index);
            if (distance > 0.0) {
                return distance; // percentiles grow with p, so the first positive one is the smallest
            }
        }
        return Double.NaN;
    }

    private static double[] finiteValues(double[] x) {
        int count = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                count++;
            }
        }
        double[] finite = new double[count];
        int next = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                finite[next++] = v;
            }
        }
        return finite;
    }

    private static double[] drawWithReplacement(double[] values, int size, RandomGenerator random) {
        double[] sample = new double[size];
        for (int i = 0; i < size; i++) {
            sample[i] = values[random.nextInt(values.length)];
        }
        return sample;
    }
}
