package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchedFftTest {

    /**
     * The pruned, depth-first transforms the blur uses compute the same butterflies as the plain
     * stage-by-stage transform, so they agree with it bit for bit: forward on a zero-padded signal
     * (spectrum left in bit-reversed rows), then the inverse's first half of its product with factors;
     * the reference is the plain stage-by-stage transform of each lane.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 32, 1024})
    void prunedDepthFirstTransformsEqualTheStageByStageTransformBitForBit(int length) {
        int lanes = 3;
        BatchedFft fft = new BatchedFft(length);
        Random random = new Random(length);
        double[][] re = new double[length][lanes];
        double[][] im = new double[length][lanes];
        for (int k = 0; k < length / 2; k++) {
            for (int c = 0; c < lanes; c++) {
                re[k][c] = random.nextGaussian();
                im[k][c] = random.nextGaussian();
            }
        }
        double[][] plainRe = copy(re);
        double[][] plainIm = copy(im);
        for (int k = length / 2; k < length; k++) {
            re[k][0] = Double.NaN; // the zero half is never read
        }

        transformEachLane(fft, plainRe, plainIm, false);
        fft.forwardOfZeroPadded(re, im, lanes);
        for (int k = 0; k < length; k++) {
            int row = fft.bitReversed(k);
            assertRowsEqual(plainRe[k], re[row], "forward re " + k);
            assertRowsEqual(plainIm[k], im[row], "forward im " + k);
        }

        double[] factorRe = new double[length];
        double[] factorIm = new double[length];
        for (int k = 0; k < length; k++) {
            factorRe[k] = random.nextGaussian();
            factorIm[k] = random.nextGaussian();
            for (int c = 0; c < lanes; c++) { // the product as the blur formed it before the inverse took it over
                double x = plainRe[k][c];
                double y = plainIm[k][c];
                plainRe[k][c] = x * factorRe[k] - y * factorIm[k];
                plainIm[k][c] = x * factorIm[k] + y * factorRe[k];
            }
        }
        transformEachLane(fft, plainRe, plainIm, true);
        fft.inverseOfProductFirstHalf(re, im, lanes, factorRe, factorIm);
        for (int k = 0; k < length / 2; k++) {
            assertRowsEqual(plainRe[k], re[k], "inverse re " + k);
            assertRowsEqual(plainIm[k], im[k], "inverse im " + k);
        }
    }

    /** The one-signal transform applied to every lane: the stage-by-stage reference. */
    private static void transformEachLane(BatchedFft fft, double[][] re, double[][] im, boolean inverse) {
        int length = re.length;
        for (int c = 0; c < re[0].length; c++) {
            double[] signalRe = new double[length];
            double[] signalIm = new double[length];
            for (int k = 0; k < length; k++) {
                signalRe[k] = re[k][c];
                signalIm[k] = im[k][c];
            }
            fft.transform(signalRe, signalIm, inverse);
            for (int k = 0; k < length; k++) {
                re[k][c] = signalRe[k];
                im[k][c] = signalIm[k];
            }
        }
    }

    private static double[][] copy(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int k = 0; k < rows.length; k++) {
            copy[k] = rows[k].clone();
        }
        return copy;
    }

    private static void assertRowsEqual(double[] expected, double[] actual, String what) {
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], actual[c], 0.0, what + ", lane " + c);
        }
    }
}
