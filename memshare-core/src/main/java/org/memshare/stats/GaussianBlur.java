package org.memshare.stats;

import java.util.Arrays;

/**
 * The separable Gaussian blur of memshare's continuous × continuous case. R convolves the G × G
 * density with the 2-D kernel exp(−(uΔx)²/(2r_x²) − (vΔy)²/(2r_y²)), u, v ∈ [−(G/2 − 1), G/2],
 * normalised to sum 1, by zero-padded FFT and keeps the centred G × G part: a linear convolution with
 * zero outside the grid. The kernel is the outer product of two 1-D kernels (its sum the product of
 * their sums), so the blur is two 1-D passes, each done by FFT over all rows at once
 * ({@link #alongRowsByFft}); nothing is truncated. {@link #alongRows} is the direct O(G³) pass, kept
 * as the reference the FFT pass is tested against.
 */
final class GaussianBlur {

    /** Output rows accumulated together, so each input row is loaded once per block. */
    private static final int ROW_BLOCK = 4;
    /** Matrix rows the folded transposes move together: one cache line of each signal row per visit. */
    private static final int TRANSPOSE_BLOCK = 8;

    private GaussianBlur() {
    }

    /** A 1-D kernel: weights for offsets lowestOffset … lowestOffset + G − 1. */
    record BlurKernel(double[] weights, int lowestOffset) {

        int highestOffset() {
            return lowestOffset + weights.length - 1;
        }

        double weight(int offset) {
            return offset < lowestOffset || offset > highestOffset() ? 0.0 : weights[offset - lowestOffset];
        }
    }

    /**
     * Weights for offsets u = −(G/2 − 1) … G/2 of exp(−(uΔ)²/(2r²)), normalised to sum 1 over all G
     * offsets (as R normalises before any truncation).
     */
    static BlurKernel kernel(int gridSize, double spacing, double radius) {
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
        return new BlurKernel(weights, lowest);
    }

    /**
     * K_rows · (scale·matrix) · K_colsᵀ for a row-major G × G matrix (each entry multiplied by scale as
     * it is read; matrix itself is left alone), returned transposed in the calling thread's FFT rows:
     * entry [i][j] of the result is lane i of row j, lanes i &lt; G/2 in {@link FftBuffers#re}, lanes
     * i ≥ G/2 in {@link FftBuffers#im} at i − G/2. {@code scratch} needs G·G entries. The column pass
     * is the row pass on the transpose; the transpose is folded into the copy into the FFT rows, and
     * the one back is left to the reader (the rows stay valid until the thread's next blur).
     */
    static FftBuffers blur(double[] matrix, double[] scratch, int g, double scale, BlurKernel rowKernel,
                           BlurKernel columnKernel) {
        FftBuffers buffers = FftBuffers.forGrid(g);
        int lanes = g / 2;
        buffers.useKernel(rowKernel);
        loadRows(matrix, scale, g, buffers);
        convolve(buffers, lanes);
        storeRows(buffers, scratch, g);                            // scratch = K_rows · F
        buffers.useKernel(columnKernel);
        loadColumns(scratch, g, buffers);                          // the rows of (K_rows · F)ᵀ
        convolve(buffers, lanes);                                  // rows of (K_cols · (K_rows · F)ᵀ)
        return buffers;
    }

    /**
     * out[m][*] = Σ_i w(m − i)·in[i][*]. Blocks of output rows share each loaded input row. in and out
     * must be different arrays: output rows are written while input rows are still being read.
     */
    static void alongRows(double[] in, double[] out, int g, BlurKernel kernel) {
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
            int firstInput = Math.max(0, m0 - kernel.highestOffset());
            int lastInput = Math.min(g - 1, m0 + ROW_BLOCK - 1 - kernel.lowestOffset());
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

    /**
     * The same pass as {@link #alongRows} computed as R computes it, by FFT: the G columns become G/2
     * complex signals (column c real part, column c + G/2 imaginary part, which a real kernel keeps
     * apart), zero-padded to L ≥ 2G − 1, multiplied by the kernel's spectrum and transformed back.
     * The kernel sits at index u mod L for offset u, so the circular convolution equals the linear one
     * on the first G entries. Cost O(G² log G) instead of O(G³); G must be even.
     */
    static void alongRowsByFft(double[] in, double[] out, int g, BlurKernel kernel, FftBuffers buffers) {
        buffers.useKernel(kernel);
        loadRows(in, 1.0, g, buffers);
        convolve(buffers, g / 2);
        storeRows(buffers, out, g);
    }

    /**
     * The signal rows, scaled: column c to the real part, column c + G/2 to the imaginary part;
     * rows G … L/2 − 1 zero (the upper half of the rows is never read, see
     * {@link BatchedFft#forwardOfZeroPadded}).
     */
    private static void loadRows(double[] in, double scale, int g, FftBuffers buffers) {
        int lanes = g / 2;
        for (int i = 0; i < g; i++) {
            double[] r = buffers.re[i];
            double[] m = buffers.im[i];
            int row = i * g;
            for (int c = 0; c < lanes; c++) {
                r[c] = in[row + c] * scale;
                m[c] = in[row + lanes + c] * scale;
            }
        }
        buffers.zeroPadding();
    }

    private static void storeRows(FftBuffers buffers, double[] out, int g) {
        int lanes = g / 2;
        for (int m = 0; m < g; m++) {
            System.arraycopy(buffers.re[m], 0, out, m * g, lanes);
            System.arraycopy(buffers.im[m], 0, out, m * g + lanes, lanes);
        }
    }

    /**
     * The loads of {@link #loadRows} applied to the transpose of {@code in}: signal row c takes
     * column c of in, lane m its row m (real part) and row m + G/2 (imaginary part).
     */
    private static void loadColumns(double[] in, int g, FftBuffers buffers) {
        int lanes = g / 2;
        gatherColumns(in, 0, g, buffers.re, lanes);
        gatherColumns(in, lanes, g, buffers.im, lanes);
        buffers.zeroPadding();
    }

    /**
     * rows[c][m] = in[(firstRow + m)·g + c] for m &lt; lanes, c &lt; g. Eight matrix rows at a time, each
     * read straight through, written one cache line of each signal row per column.
     */
    private static void gatherColumns(double[] in, int firstRow, int g, double[][] rows, int lanes) {
        int m0 = 0;
        for (; m0 + TRANSPOSE_BLOCK <= lanes; m0 += TRANSPOSE_BLOCK) {
            int o = (firstRow + m0) * g;
            for (int c = 0; c < g; c++) {
                double[] r = rows[c];
                int i = o + c;
                r[m0] = in[i];
                r[m0 + 1] = in[i + g];
                r[m0 + 2] = in[i + 2 * g];
                r[m0 + 3] = in[i + 3 * g];
                r[m0 + 4] = in[i + 4 * g];
                r[m0 + 5] = in[i + 5 * g];
                r[m0 + 6] = in[i + 6 * g];
                r[m0 + 7] = in[i + 7 * g];
            }
        }
        for (; m0 < lanes; m0++) {
            int o = (firstRow + m0) * g;
            for (int c = 0; c < g; c++) {
                rows[c][m0] = in[o + c];
            }
        }
    }

    /**
     * Convolves every lane with the kernel of {@link FftBuffers#useKernel}: forward FFT, product
     * with the kernel's spectrum and inverse FFT of the first half.
     */
    private static void convolve(FftBuffers buffers, int lanes) {
        buffers.fft.forwardOfZeroPadded(buffers.re, buffers.im, lanes);
        buffers.fft.inverseOfProductFirstHalf(buffers.re, buffers.im, lanes, buffers.scaledSpectrumRe,
            buffers.scaledSpectrumIm);
    }

    /** Per-thread FFT work rows: L rows of G/2 lanes, real and imaginary. */
    static final class FftBuffers {
        private static final ThreadLocal<FftBuffers> PER_THREAD = new ThreadLocal<>();
        final BatchedFft fft;
        /** Signal rows, real parts: L rows of G/2 lanes. */
        final double[][] re;
        /** Signal rows, imaginary parts. */
        final double[][] im;
        /** The kernel's spectrum divided by L (the inverse transform's 1/L folded in). */
        final double[] scaledSpectrumRe;
        final double[] scaledSpectrumIm;
        private final int g;

        private FftBuffers(int g) {
            int length = Integer.highestOneBit(2 * g - 1) << 1;
            fft = new BatchedFft(length);
            re = new double[length][g / 2];
            im = new double[length][g / 2];
            scaledSpectrumRe = new double[length];
            scaledSpectrumIm = new double[length];
            this.g = g;
        }

        /**
         * Zeroes signal rows G … L/2 − 1, the padding after the G loaded rows (the upper half of the
         * rows is never read, see {@link BatchedFft#forwardOfZeroPadded}); the transforms overwrite
         * them, so every load clears them again.
         */
        void zeroPadding() {
            for (int i = g; i < fft.length() / 2; i++) {
                Arrays.fill(re[i], 0.0);
                Arrays.fill(im[i], 0.0);
            }
        }

        /**
         * Sets the spectrum {@link #convolve} multiplies by to that of the given kernel: the weight of
         * offset u at index u mod L, transformed.
         */
        void useKernel(BlurKernel kernel) {
            int length = fft.length();
            Arrays.fill(scaledSpectrumRe, 0.0);
            Arrays.fill(scaledSpectrumIm, 0.0);
            double[] weights = kernel.weights();
            for (int k = 0; k < weights.length; k++) {
                scaledSpectrumRe[Math.floorMod(kernel.lowestOffset() + k, length)] = weights[k];
            }
            fft.transform(scaledSpectrumRe, scaledSpectrumIm, false);
            for (int k = 0; k < length; k++) {
                scaledSpectrumRe[k] /= length;
                scaledSpectrumIm[k] /= length;
            }
        }

        static FftBuffers forGrid(int g) {
            FftBuffers buffers = PER_THREAD.get();
            if (buffers == null || buffers.g != g) {
                buffers = new FftBuffers(g);
                PER_THREAD.set(buffers);
            }
            return buffers;
        }
    }

}
