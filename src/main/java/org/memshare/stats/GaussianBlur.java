package org.memshare.stats;

/**
 * The separable Gaussian blur of memshare's continuous × continuous case. R convolves the 512 × 512
 * density with the 2-D kernel exp(−(uΔx)²/(2r_x²) − (vΔy)²/(2r_y²)), u, v ∈ [−(G/2 − 1), G/2],
 * normalised to sum 1, by zero-padded FFT and keeps the centred G × G part: a linear convolution with
 * zero outside the grid. The kernel is an outer product of two 1-D kernels (and its sum the product of
 * their sums), so the blur is two 1-D passes here, each a run of contiguous multiply-adds.
 */
final class GaussianBlur {

    private GaussianBlur() {
    }

    /**
     * Weights w[u + G/2 − 1] for offsets u = −(G/2 − 1) … G/2 of exp(−(uΔ)²/(2r²)), normalised to sum 1.
     */
    static double[] kernel(int gridSize, double spacing, double radius) {
        int lowest = -(gridSize / 2 - 1); // R: seq_len(G) - ceiling(G / 2)
        double[] weights = new double[gridSize];
        double sum = 0.0;
        for (int k = 0; k < gridSize; k++) {
            double distance = (lowest + k) * spacing;
            weights[k] = Math.exp(-(distance * distance) / (2.0 * radius * radius));
            sum += weights[k];
        }
        for (int k = 0; k < gridSize; k++) {
            weights[k] /= sum;
        }
        return weights;
    }

    /**
     * target := K_rows · source · K_colsᵀ for a row-major G × G source; {@code scratch} (G·G) holds the
     * intermediate. target may be source; neither may be scratch.
     */
    static void blur(double[] source, double[] target, double[] scratch, int g, double[] rowKernel, double[] columnKernel) {
        alongRows(source, scratch, g, rowKernel);
        alongColumns(scratch, target, g, columnKernel);
    }

    /** out[m][*] = Σ_i w(m − i)·in[i][*]: whole-row multiply-adds. */
    static void alongRows(double[] in, double[] out, int g, double[] kernel) {
        int centre = g / 2 - 1; // kernel index of offset 0
        java.util.Arrays.fill(out, 0, g * g, 0.0);
        for (int m = 0; m < g; m++) {
            int outRow = m * g;
            int firstSource = Math.max(0, m - (g - 1 - centre));
            int lastSource = Math.min(g - 1, m + centre);
            for (int i = firstSource; i <= lastSource; i++) {
                double w = kernel[m - i + centre];
                int inRow = i * g;
                for (int c = 0; c < g; c++) {
                    out[outRow + c] += w * in[inRow + c];
                }
            }
        }
    }

    /** out[r][v] = Σ_j w(v − j)·in[r][j]: for each j a multiply-add over a contiguous kernel slice. */
    static void alongColumns(double[] in, double[] out, int g, double[] kernel) {
        int centre = g / 2 - 1;
        java.util.Arrays.fill(out, 0, g * g, 0.0);
        for (int r = 0; r < g; r++) {
            int row = r * g;
            for (int j = 0; j < g; j++) {
                double value = in[row + j];
                if (value == 0.0) {
                    continue;
                }
                int firstTarget = Math.max(0, j - centre);
                int lastTarget = Math.min(g - 1, j + (g - 1 - centre));
                int kernelOffset = centre - j; // kernel index of target v is v - j + centre
                for (int v = firstTarget; v <= lastTarget; v++) {
                    out[row + v] += value * kernel[v + kernelOffset];
                }
            }
        }
    }
}
