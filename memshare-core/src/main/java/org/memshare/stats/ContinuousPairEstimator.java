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
        GaussianBlur.FftBuffers blurred = GaussianBlur.blur(density, scratch, g, normalisation,
                GaussianBlur.kernel(g, dx, radiusX), GaussianBlur.kernel(g, dy, radiusY));
        return mutualInformationOfDensity(blurred, g, dx, dy, eps);
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

    /**
     * MI of the joint density J as {@link GaussianBlur#blur} leaves it (transposed: J[i][j] is lane i
     * of FFT row j). Every sum is formed in the order of the row-major definition: p_x[i] = Σ_j J[i,j]
     * (all i together, j ascending), p_y[j] = Σ_i J[i,j] (i ascending), and the MI sum over i,
     * then j. J/(p_x·p_y) is formed as J·(1/p_x)·(1/p_y): 1,024 divisions instead of 262,144, which
     * moves the result by a few units in its 15th digit at most.
     */
    static double mutualInformationOfDensity(GaussianBlur.FftBuffers joint, int g, double dx, double dy, double eps) {
        int half = g / 2;
        double[][] re = joint.re;
        double[][] im = joint.im;
        double[] marginalX = new double[g];
        double[] marginalY = new double[g];
        for (int j = 0; j < g; j++) {
            double[] r = re[j];
            double[] m = im[j];
            for (int i = 0; i < half; i++) {
                marginalX[i] += r[i];
                marginalX[half + i] += m[i];
            }
        }
        for (int i = 0; i < g; i++) {
            marginalX[i] *= dy;
        }
        for (int j = 0; j < g; j++) {
            marginalY[j] = columnSum(re[j], im[j], half) * dx;
        }
        double threshold = 2.0 * eps;
        double[] inverseY = new double[g];
        for (int k = 0; k < g; k++) {
            inverseY[k] = 1.0 / marginalY[k];
        }
        double sum = 0.0;
        for (int i = 0; i < g; i++) {
            double[][] rows = i < half ? re : im;
            int lane = i < half ? i : i - half;
            double inverseX = 1.0 / marginalX[i];
            for (int k = 0; k < g; k++) {
                double value = rows[k][lane];
                if (value > threshold) {
                    sum += value * TableLogarithm.log(value * inverseX * inverseY[k]);
                }
            }
        }
        return sum * dx * dy;
    }

    /** Σ_i J[i][j] over i ascending: the real lanes, then the imaginary ones. */
    private static double columnSum(double[] real, double[] imaginary, int half) {
        double sum = 0.0;
        for (int i = 0; i < half; i++) {
            sum += real[i];
        }
        for (int i = 0; i < half; i++) {
            sum += imaginary[i];
        }
        return sum;
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
