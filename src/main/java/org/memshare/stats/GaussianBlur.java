package org.memshare.stats;

import java.util.Arrays;

/**
 * The separable Gaussian blur of memshare's continuous × continuous case. R convolves the G × G
 * density with the 2-D kernel exp(−(uΔx)²/(2r_x²) − (vΔy)²/(2r_y²)), u, v ∈ [−(G/2 − 1), G/2],
 * normalised to sum 1, by zero-padded FFT and keeps the centred G × G part: a linear convolution with
 * zero outside the grid. The kernel is the outer product of two 1-D kernels (its sum the product of
 * their sums), so the blur is two 1-D passes of contiguous multiply-adds.
 *
 * <p>Offsets whose weight is below {@link #NEGLIGIBLE_RELATIVE_WEIGHT} of the centre weight are
 * skipped. Their total effect on any cell is below 1e−20 of the largest density value, four orders of
 * magnitude under the round-off of R's own FFT convolution (about 1e−16 of the largest value), so the
 * result is the same to double precision; on typical data it halves the work.
 */
final class GaussianBlur {

    /** Weights below this fraction of the centre weight contribute nothing representable. */
    static final double NEGLIGIBLE_RELATIVE_WEIGHT = 1e-20;

    /** Output rows accumulated together, so each input row is loaded once per block. */
    private static final int ROW_BLOCK = 4;

    private GaussianBlur() {
    }

    /** A 1-D kernel: weights for offsets lowest … lowest + G − 1, and the range of offsets kept. */
    record Kernel(double[] weights, int lowestOffset, int firstKept, int lastKept) {

        double weight(int offset) {
            return offset < firstKept || offset > lastKept ? 0.0 : weights[offset - lowestOffset];
        }
    }

    /**
     * Weights for offsets u = −(G/2 − 1) … G/2 of exp(−(uΔ)²/(2r²)), normalised to sum 1 over all G
     * offsets (as R normalises before any truncation).
     */
    static Kernel kernel(int gridSize, double spacing, double radius) {
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
        double cutoff = weights[-lowest] * NEGLIGIBLE_RELATIVE_WEIGHT;
        int first = lowest;
        while (weights[first - lowest] < cutoff) {
            first++;
        }
        int last = lowest + gridSize - 1;
        while (weights[last - lowest] < cutoff) {
            last--;
        }
        return new Kernel(weights, lowest, first, last);
    }

    /**
     * matrix := K_rows · matrix · K_colsᵀ for a row-major G × G matrix, in place; {@code scratch} needs
     * G·G entries. The column pass is the row pass on the transpose, so both run contiguous rows.
     */
    static void blur(double[] matrix, double[] scratch, int g, Kernel rowKernel, Kernel columnKernel) {
        alongRows(matrix, scratch, g, rowKernel);    // scratch = K_rows · F
        transpose(scratch, matrix, g);               // matrix  = (K_rows · F)ᵀ
        alongRows(matrix, scratch, g, columnKernel); // scratch = K_cols · (K_rows · F)ᵀ = Jᵀ
        transpose(scratch, matrix, g);               // matrix  = J
    }

    /**
     * out[m][*] = Σ_i w(m − i)·in[i][*]. Blocks of output rows share each loaded input row. in and out
     * must be different arrays: output rows are written while input rows are still being read.
     */
    static void alongRows(double[] in, double[] out, int g, Kernel kernel) {
        if (in == out) {
            throw new IllegalArgumentException("in and out must differ: g=" + g);
        }
        double[][] block = new double[ROW_BLOCK][g];
        double[] a0 = block[0];
        double[] a1 = block[1];
        double[] a2 = block[2];
        double[] a3 = block[3];
        for (int m0 = 0; m0 < g; m0 += ROW_BLOCK) {
            for (double[] row : block) {
                Arrays.fill(row, 0.0);
            }
            // input rows i that reach any of m0 … m0+3 through a kept offset m − i
            int firstInput = Math.max(0, m0 - kernel.lastKept());
            int lastInput = Math.min(g - 1, m0 + ROW_BLOCK - 1 - kernel.firstKept());
            for (int i = firstInput; i <= lastInput; i++) {
                double w0 = kernel.weight(m0 - i);
                double w1 = kernel.weight(m0 + 1 - i);
                double w2 = kernel.weight(m0 + 2 - i);
                double w3 = kernel.weight(m0 + 3 - i);
                int offset = i * g;
                for (int c = 0; c < g; c++) {
                    double v = in[offset + c];
                    a0[c] += w0 * v;
                    a1[c] += w1 * v;
                    a2[c] += w2 * v;
                    a3[c] += w3 * v;
                }
            }
            for (int k = 0; k < ROW_BLOCK && m0 + k < g; k++) {
                System.arraycopy(block[k], 0, out, (m0 + k) * g, g);
            }
        }
    }

    static void transpose(double[] in, double[] out, int g) {
        final int tile = 32; // keeps both the read and the write side cache-resident
        for (int i0 = 0; i0 < g; i0 += tile) {
            for (int j0 = 0; j0 < g; j0 += tile) {
                int iEnd = Math.min(g, i0 + tile);
                int jEnd = Math.min(g, j0 + tile);
                for (int i = i0; i < iEnd; i++) {
                    for (int j = j0; j < jEnd; j++) {
                        out[j * g + i] = in[i * g + j];
                    }
                }
            }
        }
    }
}
