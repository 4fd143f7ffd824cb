package org.memshare.stats;

import java.util.Objects;

/**
 * Mutual information of two variables in nats, as R's {@code memshare::mutualinfo} computes it (see
 * docs/MUTUAL_INFORMATION.md for the estimator and every deviation from R).
 *
 * <ul>
 *   <li>both continuous: smoothed 512 × 512 histogram density (Pareto radii, Eilers–Goeman smoother,
 *       Gaussian blur), MI integral as a Riemann sum;</li>
 *   <li>one continuous, one discrete (either way round): smoothed conditional densities of the
 *       continuous variable per class, MI = Σ_c P(c)·KL(f(x | c) ‖ f(x));</li>
 *   <li>both discrete: the plug-in estimate over the full table of distinct values.</li>
 * </ul>
 *
 * <p>Rules, in the order applied: x and y must have equal length; with {@code naRm} the pairs in which
 * either value is NaN or infinite are dropped; fewer than 3 pairs give 0; a standard deviation (of
 * the finite values) below {@code eps} gives 0; without {@code naRm}, a remaining non-finite value is
 * an error (R fails or silently mis-weights there); a Pareto radius that does not exist (NaN) gives 0.
 * All values missing with {@code naRm} therefore gives 0.
 *
 * <p>Thread-safe; each thread reuses its own scratch grids.
 *
 * {@snippet :
 * double[] x = {0.1, 0.4, 0.35, 0.8, 1.2, 1.1, 0.9, 1.6};
 * double[] y = {0.0, 0.5, 0.30, 0.9, 1.0, 1.3, 0.7, 1.9};
 * double both = MutualInformation.mutualinfo(x, y);                 // both continuous
 * double[] cls = {1, 1, 1, 2, 2, 2, 2, 2};
 * double mixed = MutualInformation.mutualinfo(x, cls, false, true);  // y discrete
 * double[] withGap = {0.1, Double.NaN, 0.35, 0.8, 1.2, 1.1, 0.9, 1.6};
 * double dropped = MutualInformation.mutualinfo(withGap, y, false, false,
 *         MutualInformation.DEFAULT_EPS, true);                        // pair 2 dropped
 * // without naRm the NaN is rejected:
 * // MutualInformation.mutualinfo(withGap, y) -> IllegalArgumentException
 * }
 */
public final class MutualInformation {

    /** Default threshold, 1000 × machine epsilon (R: {@code .Machine$double.eps * 1000}). */
    public static final double DEFAULT_EPS = 1000 * Math.ulp(1.0);

    /** Fewer pairs than this give 0. */
    static final int MINIMUM_PAIRS = 3;

    private MutualInformation() {
    }

    /**
     * MI of two continuous variables, default eps, non-finite values rejected.
     *
     * @param x first variable, continuous
     * @param y second variable, continuous, same length as x
     * @return the estimate in nats, ≥ 0 up to estimation error; 0 for fewer than 3 pairs or a constant variable
     * @throws NullPointerException     if x or y is null
     * @throws IllegalArgumentException if the lengths differ or a value is NaN or infinite
     * @see #mutualinfo(double[], double[], boolean, boolean, double, boolean)
     */
    public static double mutualinfo(double[] x, double[] y) {
        return mutualinfo(x, y, false, false, DEFAULT_EPS, false);
    }

    /**
     * MI with the given kinds, default eps, non-finite values rejected.
     *
     * @param x           first variable
     * @param y           second variable, same length as x
     * @param isXDiscrete whether x is discrete (its distinct values are its classes)
     * @param isYDiscrete whether y is discrete
     * @return the estimate in nats, ≥ 0 up to estimation error; 0 for fewer than 3 pairs or a constant variable
     * @throws NullPointerException     if x or y is null
     * @throws IllegalArgumentException if the lengths differ or a non-finite value is present where it
     *                                  would be used
     * @see #mutualinfo(double[], double[], boolean, boolean, double, boolean)
     */
    public static double mutualinfo(double[] x, double[] y, boolean isXDiscrete, boolean isYDiscrete) {
        return mutualinfo(x, y, isXDiscrete, isYDiscrete, DEFAULT_EPS, false);
    }

    /**
     * MI with the given kinds and default eps.
     *
     * @param x           first variable
     * @param y           second variable, same length as x
     * @param isXDiscrete whether x is discrete (its distinct values are its classes)
     * @param isYDiscrete whether y is discrete
     * @param naRm        drop pairs in which either value is NaN or infinite
     * @return the estimate in nats, ≥ 0 up to estimation error; 0 for fewer than 3 pairs or a constant variable
     * @throws NullPointerException     if x or y is null
     * @throws IllegalArgumentException if the lengths differ, or (without naRm) a non-finite value is
     *                                  present where it would be used
     * @see #mutualinfo(double[], double[], boolean, boolean, double, boolean)
     */
    public static double mutualinfo(double[] x, double[] y, boolean isXDiscrete, boolean isYDiscrete, boolean naRm) {
        return mutualinfo(x, y, isXDiscrete, isYDiscrete, DEFAULT_EPS, naRm);
    }

    /**
     * Mutual information of x and y in nats (natural logarithm).
     *
     * @param x           first variable
     * @param y           second variable, same length as x
     * @param isXDiscrete whether x is discrete (its distinct values are its classes)
     * @param isYDiscrete whether y is discrete
     * @param eps         threshold: standard deviations below it give 0; density cells at or below it
     *                    (2·eps in the continuous × continuous case) are left out of the sums
     * @param naRm        drop pairs in which either value is NaN or infinite
     * @return the estimate, ≥ 0 up to estimation error; 0 for fewer than 3 pairs or a constant variable
     * @throws NullPointerException     if x or y is null
     * @throws IllegalArgumentException if the lengths differ, eps is NaN or negative, or (without
     *                                  naRm) a non-finite value is present where it would be used
     */
    public static double mutualinfo(double[] x, double[] y, boolean isXDiscrete, boolean isYDiscrete,
                                    double eps, boolean naRm) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y differ in length: x.length=" + x.length + ", y.length=" + y.length);
        }
        if (!(eps >= 0.0)) {
            throw new IllegalArgumentException("eps must be non-negative: eps=" + eps);
        }
        if (naRm) {
            double[][] complete = completePairs(x, y);
            x = complete[0];
            y = complete[1];
        }
        if (x.length < MINIMUM_PAIRS) {
            return 0.0;
        }
        if (standardDeviationOfFinite(x) < eps || standardDeviationOfFinite(y) < eps) {
            return 0.0;
        }
        requireFinite(x, y);
        if (!isXDiscrete) {
            requireRepresentableRange(x, "x");
        }
        if (!isYDiscrete) {
            requireRepresentableRange(y, "y");
        }

        if (isXDiscrete && isYDiscrete) {
            return DiscretePairEstimator.estimate(x, y);
        }
        if (isXDiscrete) {
            return continuousAndDiscrete(y, x, eps);
        }
        if (isYDiscrete) {
            return continuousAndDiscrete(x, y, eps);
        }
        return bothContinuous(x, y, eps);
    }

    private static double bothContinuous(double[] x, double[] y, double eps) {
        double radiusX = ParetoRadius.of(x);
        double radiusY = ParetoRadius.of(y);
        if (Double.isNaN(radiusX) || Double.isNaN(radiusY)) {
            return 0.0;
        }
        return ContinuousPairEstimator.estimate(x, y, radiusX, radiusY, eps);
    }

    private static double continuousAndDiscrete(double[] continuous, double[] discrete, double eps) {
        double radius;
        int distinct;
        if (continuous.length > ParetoRadius.MAXIMUM_SAMPLE_SIZE) {
            // the radius sorts its own subsample; only min(distinct, 250) is needed of the whole
            radius = ParetoRadius.of(continuous);
            distinct = DiscreteClasses.countDistinctUpTo(continuous, MixedPairEstimator.MAXIMUM_SMOOTHER_BINS);
        } else {
            // one sorted copy serves both the radius and R's count of distinct values
            double[] sorted = Workspace.current().sortedCopy(continuous);
            radius = ParetoRadius.ofSortedSample(sorted, sorted.length);
            distinct = DiscreteClasses.countDistinctOfSorted(sorted);
        }
        if (Double.isNaN(radius)) {
            return 0.0;
        }
        return MixedPairEstimator.estimate(continuous, discrete, distinct, radius, eps);
    }

    /**
     * The grid spans min − r to max + r: values whose span overflows a double (near ±1.8e308) would
     * turn it into infinities and the estimate silently into 0, so they are refused instead.
     */
    private static void requireRepresentableRange(double[] values, String name) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double span = max - min;
        if (!Double.isFinite(span) || !Double.isFinite(max + span) || !Double.isFinite(min - span)) {
            throw new IllegalArgumentException("values span too wide a range for the density grid: " + name + ".min=" + min
                + ", " + name + ".max=" + max + " (rescale the variable)");
        }
    }

    private static double[][] completePairs(double[] x, double[] y) {
        int complete = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                complete++;
            }
        }
        if (complete == x.length) {
            return new double[][] {x, y};
        }
        double[] keptX = new double[complete];
        double[] keptY = new double[complete];
        int next = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                keptX[next] = x[i];
                keptY[next] = y[i];
                next++;
            }
        }
        return new double[][] {keptX, keptY};
    }

    /** R's sd(v, na.rm = TRUE): sample standard deviation of the finite values, NaN below two. */
    static double standardDeviationOfFinite(double[] v) {
        int count = 0;
        double sum = 0.0;
        for (double value : v) {
            if (Double.isFinite(value)) {
                count++;
                sum += value;
            }
        }
        if (count < 2) {
            return Double.NaN;
        }
        double mean = sum / count;
        double squares = 0.0;
        for (double value : v) {
            if (Double.isFinite(value)) {
                double deviation = value - mean;
                squares += deviation * deviation;
            }
        }
        return Math.sqrt(squares / (count - 1));
    }

    private static void requireFinite(double[] x, double[] y) {
        int nonFiniteX = countNonFinite(x);
        int nonFiniteY = countNonFinite(y);
        if (nonFiniteX + nonFiniteY > 0) {
            throw new IllegalArgumentException("non-finite values present and naRm=false: x.nonFinite="
                    + nonFiniteX + ", y.nonFinite=" + nonFiniteY + " (pass naRm=true to drop those pairs)");
        }
    }

    private static int countNonFinite(double[] v) {
        int count = 0;
        for (double value : v) {
            if (!Double.isFinite(value)) {
                count++;
            }
        }
        return count;
    }
}
