package org.memshare.stats;

/**
 * One continuous variable x, one discrete y: a 512 × K table (x bins × classes of y), smoothed along x
 * only, normalised to a density in x, and MI = Σ_c P(c)·KL(f(x | c) ‖ f(x)) as a Riemann sum.
 */
final class MixedPairEstimator {

    static final int GRID_SIZE = 512;
    /** R: SmoothedDensitiesXY's default nbins for x is min(#unique x, 250), smoothed with nbins / 4. */
    static final int MAXIMUM_SMOOTHER_BINS = 250;

    private MixedPairEstimator() {
    }

    static double estimate(double[] x, double[] y, int uniqueXCount, double radiusX, double eps) {
        int g = GRID_SIZE;
        int n = x.length;
        UniformGrid gridX = UniformGrid.of(ContinuousPairEstimator.min(x) - radiusX,
                ContinuousPairEstimator.max(x) + radiusX, g);
        Workspace workspace = Workspace.current();
        DiscreteVariable classes = workspace.discrete(y);
        int k = classes.classCount();

        double[] table = workspace.first(g * k);
        for (int p = 0; p < n; p++) {
            table[gridX.binOf(x[p]) * k + classes.classOf(p)] += 1.0;
        }
        for (int cell = 0; cell < g * k; cell++) {
            table[cell] /= n;
        }

        double lambda = Math.min(uniqueXCount, MAXIMUM_SMOOTHER_BINS) / 4.0;
        EilersGoemanSmoother.of(g, lambda).smoothAlongRows(table, k);
        normaliseToUnitIntegral(table, gridX, k);

        double dx = gridX.meanSpacing();
        double[] marginal = new double[g];
        double[] columnSums = new double[k];
        for (int i = 0; i < g; i++) {
            int row = i * k;
            double rowSum = 0.0;
            for (int c = 0; c < k; c++) {
                rowSum += table[row + c];
                columnSums[c] += table[row + c];
            }
            marginal[i] = rowSum;
        }
        double mi = 0.0;
        for (int c = 0; c < k; c++) {
            double scale = columnSums[c] * dx;
            double inner = 0.0;
            for (int i = 0; i < g; i++) {
                double conditional = table[i * k + c] / scale;
                if (conditional > eps) {
                    inner += conditional * TableLogarithm.log(conditional / marginal[i]);
                }
            }
            mi += inner * dx * ((double) classes.classSize(c) / n);
        }
        return mi;
    }

    /** R normalises by Σ over the first G−1 rows of F[i, c]·(xs[i+1] − xs[i]). */
    private static void normaliseToUnitIntegral(double[] table, UniformGrid gridX, int k) {
        int g = gridX.size();
        double integral = 0.0;
        for (int i = 0; i < g - 1; i++) {
            double rowSum = 0.0;
            for (int c = 0; c < k; c++) {
                rowSum += table[i * k + c];
            }
            integral += rowSum * gridX.spacing(i);
        }
        double inverse = 1.0 / integral;
        for (int cell = 0; cell < g * k; cell++) {
            table[cell] *= inverse;
        }
    }
}
