package org.memshare.stats;

/**
 * Radix-2 complex FFTs of length L run on many signals at once: element k of every signal is one
 * row ({@code re[k]}, {@code im[k]}), so each butterfly is a loop over contiguous lanes that the JIT
 * vectorises. Used for the linear convolutions of the Gaussian blur, as R does them (by FFT).
 */
final class BatchedFft {

    private final int length;
    private final double[] cos;
    private final double[] sin;
    private final int[] bitReversed;

    BatchedFft(int length) {
        if (Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("FFT length must be a power of two: length=" + length);
        }
        this.length = length;
        cos = new double[length / 2];
        sin = new double[length / 2];
        for (int j = 0; j < length / 2; j++) {
            double angle = 2.0 * Math.PI * j / length;
            cos[j] = Math.cos(angle);
            sin[j] = Math.sin(angle);
        }
        bitReversed = new int[length];
        int bits = Integer.numberOfTrailingZeros(length);
        for (int k = 0; k < length; k++) {
            bitReversed[k] = bits == 0 ? 0 : Integer.reverse(k) >>> (32 - bits);
        }
    }

    int length() {
        return length;
    }

    /** The row that holds logical position k during {@link #forwardOfZeroPadded}. */
    int bitReversed(int k) {
        return bitReversed[k];
    }

    /**
     * The forward transform of signals whose second half (rows L/2 … L−1) is zero, without swapping
     * rows: logical position k is row rev(k) throughout, so on return X[k] is in row rev(k), the
     * bit-reversed order the inverse transform starts from. The butterflies are those of
     * {@link #transform} applied to each lane, each computed as there, but run depth first: both halves of a
     * block are transformed completely before the stage that joins them, so every block of up to
     * 2^8 rows is done while it sits in the core's cache (stage by stage over all 2·L rows of 256
     * lanes, 4 MB, each stage would stream them from the shared cache). The zero half is never
     * read: the first stage pairs logical 2j and 2j + 1, rows t = rev(2j) and t + L/2, so its
     * butterflies only copy row t (x ± 1·0 = x).
     */
    void forwardOfZeroPadded(double[][] re, double[][] im, int lanes) {
        forwardBlock(re, im, lanes, 0, length);
    }

    private void forwardBlock(double[][] re, double[][] im, int lanes, int start, int size) {
        if (size == 2) {
            int t = bitReversed[start];
            int zero = bitReversed[start + 1];
            System.arraycopy(re[t], 0, re[zero], 0, lanes);
            System.arraycopy(im[t], 0, im[zero], 0, lanes);
            return;
        }
        int half = size >> 1;
        forwardBlock(re, im, lanes, start, half);
        forwardBlock(re, im, lanes, start + half, half);
        int stride = length / size;
        for (int k = 0; k < half; k++) {
            int p = bitReversed[start + k];
            int q = bitReversed[start + k + half];
            butterfly(re[p], im[p], re[q], im[q], cos[k * stride], -sin[k * stride], lanes);
        }
    }

    /**
     * The inverse transform (without 1/L) of X·H for a spectrum X that sits where
     * {@link #forwardOfZeroPadded} leaves it: X[k] in row rev(k), i.e. already in the bit-reversed
     * order the inverse starts from, so rows are used in place. Each row is multiplied by its factor
     * H[k] (row rev(k) by {@code factorRe[k]}, {@code factorIm[k]}) just before its first butterfly,
     * while it is in the cache anyway. Depth first, as the forward transform. Only outputs
     * 0 … L/2 − 1 (rows of the same numbers) are produced: the last stage computes the upper half of
     * its butterflies only.
     */
    void inverseOfProductFirstHalf(double[][] re, double[][] im, int lanes, double[] factorRe, double[] factorIm) {
        int half = length >> 1;
        inverseBlock(re, im, lanes, 0, half, factorRe, factorIm);
        inverseBlock(re, im, lanes, half, half, factorRe, factorIm);
        for (int k = 0; k < half; k++) {
            upperButterfly(re[k], im[k], re[k + half], im[k + half], cos[k], sin[k], lanes);
        }
    }

    private void inverseBlock(double[][] re, double[][] im, int lanes, int start, int size,
                              double[] factorRe, double[] factorIm) {
        if (size == 1) {
            int k = bitReversed[start];
            multiply(re[start], im[start], factorRe[k], factorIm[k], lanes);
            return;
        }
        int half = size >> 1;
        inverseBlock(re, im, lanes, start, half, factorRe, factorIm);
        inverseBlock(re, im, lanes, start + half, half, factorRe, factorIm);
        int stride = length / size;
        for (int k = 0; k < half; k++) {
            butterfly(re[start + k], im[start + k], re[start + k + half], im[start + k + half],
                cos[k * stride], sin[k * stride], lanes);
        }
    }

    /**
     * In-place transform of one signal held in two arrays, stage by stage: forward uses
     * e^(−2πi·jk/L), inverse e^(+2πi·jk/L) without the 1/L factor. The batched transforms compute each
     * lane with exactly these butterflies.
     */
    void transform(double[] re, double[] im, boolean inverse) {
        for (int k = 0; k < length; k++) {
            int r = bitReversed[k];
            if (r > k) {
                double swap = re[k];
                re[k] = re[r];
                re[r] = swap;
                swap = im[k];
                im[k] = im[r];
                im[r] = swap;
            }
        }
        double sign = inverse ? 1.0 : -1.0;
        for (int size = 2; size <= length; size <<= 1) {
            int half = size >> 1;
            int stride = length / size;
            for (int start = 0; start < length; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * stride];
                    double wi = sign * sin[k * stride];
                    int p = start + k;
                    int q = p + half;
                    double tr = wr * re[q] - wi * im[q];
                    double ti = wr * im[q] + wi * re[q];
                    double pr = re[p];
                    double pi = im[p];
                    re[q] = pr - tr;
                    im[q] = pi - ti;
                    re[p] = pr + tr;
                    im[p] = pi + ti;
                }
            }
        }
    }

    private static void multiply(double[] r, double[] m, double hr, double hi, int lanes) {
        for (int c = 0; c < lanes; c++) {
            double x = r[c];
            double y = m[c];
            r[c] = x * hr - y * hi;
            m[c] = x * hi + y * hr;
        }
    }

    private static void butterfly(double[] rp, double[] ip, double[] rq, double[] iq, double wr, double wi,
                                  int lanes) {
        for (int c = 0; c < lanes; c++) {
            double tr = wr * rq[c] - wi * iq[c];
            double ti = wr * iq[c] + wi * rq[c];
            double pr = rp[c];
            double pi = ip[c];
            rq[c] = pr - tr;
            iq[c] = pi - ti;
            rp[c] = pr + tr;
            ip[c] = pi + ti;
        }
    }

    /** The p + w·q half of {@link #butterfly}. */
    private static void upperButterfly(double[] rp, double[] ip, double[] rq, double[] iq, double wr, double wi,
                                       int lanes) {
        for (int c = 0; c < lanes; c++) {
            double tr = wr * rq[c] - wi * iq[c];
            double ti = wr * iq[c] + wi * rq[c];
            rp[c] = rp[c] + tr;
            ip[c] = ip[c] + ti;
        }
    }
}
