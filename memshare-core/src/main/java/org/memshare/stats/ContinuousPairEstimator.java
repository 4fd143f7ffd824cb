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
        // counts / n; only the ≤ n occupied cells are divided (counted negative until then)
        int[] cells = workspace.cells(n);
        for (int k = 0; k < n; k++) {
            int cell = gridX.binOf(x[k]) * g + gridY.binOf(y[k]);
            cells[k] = cell;
            density[cell] -= 1.0;
        }
        for (int k = 0; k < n; k++) {
            double count = -density[cells[k]];
            if (count > 0.0) {
                density[cells[k]] = count / n;
            }
        }

        EilersGoemanSmoother smoother = EilersGoemanSmoother.of(g, SMOOTHER_LAMBDA);
        smoother.smoothAlongColumns(density, g);
        smoother.smoothAlongRows(density, g);
        // normalised to a unit integral as the blur reads it in (the same products, one pass fewer)
        double normalisation = 1.0 / integral(density, gridX, gridY);

        double dx = gridX.meanSpacing();
        double dy = gridY.meanSpacing();
        GaussianBlur.blur(density, scratch, g, normalisation,
                GaussianBlur.kernel(g, dx, radiusX), GaussianBlur.kernel(g, dy, radiusY));
        return mutualInformationOfDensity(density, g, dx, dy, eps);
    }

    /**
     * R normalises by the integral over the first G−1 rows and columns only (its 1:nrow−1 indexing):
     * Σ_i (Σ_j f[i,j]·Δy_j)·Δx_i, each sum in index order. Four rows are summed side by side, each in
     * its own order, so the additions of different rows overlap.
     */
    static double integral(double[] f, UniformGrid gridX, UniformGrid gridY) {
        int g = gridX.size();
        int columns = g - 1;
        double[] dy = new double[columns];
        for (int j = 0; j < columns; j++) {
            dy[j] = gridY.spacing(j);
        }
        double integral = 0.0;
        int i = 0;
        for (; i + 4 <= g - 1; i += 4) {
            int row = i * g;
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int j = 0; j < columns; j++) {
                double d = dy[j];
                s0 += f[row + j] * d;
                s1 += f[row + g + j] * d;
                s2 += f[row + 2 * g + j] * d;
                s3 += f[row + 3 * g + j] * d;
            }
            integral += s0 * gridX.spacing(i);
            integral += s1 * gridX.spacing(i + 1);
            integral += s2 * gridX.spacing(i + 2);
            integral += s3 * gridX.spacing(i + 3);
        }
        for (; i < g - 1; i++) {
            int row = i * g;
            double rowIntegral = 0.0;
            for (int j = 0; j < columns; j++) {
                rowIntegral += f[row + j] * dy[j];
            }
            integral += rowIntegral * gridX.spacing(i);
        }
        return integral;
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
