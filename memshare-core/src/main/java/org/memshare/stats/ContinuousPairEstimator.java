package org.memshare.stats;

/**
 * Both variables continuous: a 512 × 512 histogram on grids padded by the Pareto radii, smoothed
 * along both axes by the Eilers–Goeman smoother (λ = 512/4), normalised to a density, blurred by a
 * Gaussian of the Pareto radii, and the MI integral taken as a Riemann sum.
 */
final class ContinuousPairEstimator {

    static final int GRID_SIZE = 512;
    /** R passes lambda = 4 to SmoothedDensitiesXY, which smooths with nbins / lambda. */
    static final double SMOOTHER_LAMBDA = GRID_SIZE / 4.0;

    private ContinuousPairEstimator() {
    }

    static double estimate(double[] x, double[] y, double radiusX, double radiusY, double eps) {
        int g = GRID_SIZE;
        int n = x.length;
        UniformGrid gridX = UniformGrid.of(min(x) - radiusX, max(x) + radiusX, g);
        UniformGrid gridY = UniformGrid.of(min(y) - radiusY, max(y) + radiusY, g);

        Workspace workspace = Workspace.current();
        double[] density = workspace.first(g * g);
        double[] scratch = workspace.second(g * g);
        for (int k = 0; k < n; k++) {
            density[gridX.binOf(x[k]) * g + gridY.binOf(y[k])] += 1.0;
        }
        for (int cell = 0; cell < g * g; cell++) {
            density[cell] /= n;
        }

        EilersGoemanSmoother smoother = EilersGoemanSmoother.of(g, SMOOTHER_LAMBDA);
        smoother.smoothAlongColumns(density, g);
        smoother.smoothAlongRows(density, g);
        normaliseToUnitIntegral(density, gridX, gridY);

        double dx = gridX.meanSpacing();
        double dy = gridY.meanSpacing();
        GaussianBlur.blur(density, scratch, g,
                GaussianBlur.kernel(g, dx, radiusX), GaussianBlur.kernel(g, dy, radiusY));
        return mutualInformationOfDensity(density, g, dx, dy, eps);
    }

    /** R normalises by the integral over the first G−1 rows and columns only (its 1:nrow−1 indexing). */
    static void normaliseToUnitIntegral(double[] f, UniformGrid gridX, UniformGrid gridY) {
        int g = gridX.size();
        double[] dy = new double[g - 1];
        for (int j = 0; j < g - 1; j++) {
            dy[j] = gridY.spacing(j);
        }
        double integral = 0.0;
        for (int i = 0; i < g - 1; i++) {
            double rowIntegral = 0.0;
            int row = i * g;
            for (int j = 0; j < g - 1; j++) {
                rowIntegral += f[row + j] * dy[j];
            }
            integral += rowIntegral * gridX.spacing(i);
        }
        double inverse = 1.0 / integral;
        for (int cell = 0; cell < g * g; cell++) {
            f[cell] *= inverse;
        }
    }

    static double mutualInformationOfDensity(double[] joint, int g, double dx, double dy, double eps) {
        double[] marginalX = new double[g];
        double[] marginalY = new double[g];
        for (int i = 0; i < g; i++) {
            int row = i * g;
            double rowSum = 0.0;
            for (int j = 0; j < g; j++) {
                double value = joint[row + j];
                rowSum += value;
                marginalY[j] += value;
            }
            marginalX[i] = rowSum * dy;
        }
        for (int j = 0; j < g; j++) {
            marginalY[j] *= dx;
        }
        double threshold = 2.0 * eps;
        double sum = 0.0;
        for (int i = 0; i < g; i++) {
            int row = i * g;
            double px = marginalX[i];
            for (int j = 0; j < g; j++) {
                double value = joint[row + j];
                if (value > threshold) {
                    sum += value * TableLogarithm.log(value / (px * marginalY[j]));
                }
            }
        }
        return sum * dx * dy;
    }

    static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
