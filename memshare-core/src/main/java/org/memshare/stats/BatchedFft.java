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

    /**
     * In-place transform of {@code lanes} signals: forward uses e^(−2πi·jk/L), inverse e^(+2πi·jk/L)
     * without the 1/L factor. Rows are permuted by swapping references, not by copying.
     */
    void transform(double[][] re, double[][] im, int lanes, boolean inverse) {
        for (int k = 0; k < length; k++) {
            int r = bitReversed[k];
            if (r > k) {
                double[] swap = re[k];
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
                    butterfly(re[start + k], im[start + k], re[start + k + half], im[start + k + half], wr, wi, lanes);
                }
            }
        }
    }

    private static void butterfly(double[] rp, double[] ip, double[] rq, double[] iq, double wr, double wi, int lanes) {
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
}
