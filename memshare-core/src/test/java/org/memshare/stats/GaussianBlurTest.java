package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GaussianBlurTest {

    /** Direct definition: out[m][c] = Σ_{u=-(G/2-1)}^{G/2} w(u)·in[m-u][c], zero outside the grid. */
    private static double[] naiveAlongRows(double[] in, int g, double[] weights) {
        int lowest = -(g / 2 - 1);
        double[] out = new double[g * g];
        for (int m = 0; m < g; m++) {
            for (int c = 0; c < g; c++) {
                double sum = 0;
                for (int k = 0; k < g; k++) {
                    int i = m - (lowest + k);
                    if (i >= 0 && i < g) {
                        sum += weights[k] * in[i * g + c];
                    }
                }
                out[m * g + c] = sum;
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"16, 0.1, 0.15", "64, 0.05, 0.6", "64, 0.05, 0.02", "512, 0.014, 0.2"})
    void directAndFftPassesEqualTheDefinition(int g, double spacing, double radius) {
        Random random = new Random(g);
        double[] in = new double[g * g];
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextDouble();
        }
        GaussianBlur.BlurKernel kernel = GaussianBlur.kernel(g, spacing, radius);
        double weightSum = 0;
        for (double w : kernel.weights()) {
            weightSum += w;
        }
        assertEquals(1.0, weightSum, 1e-14);

        double[] expected = g <= 64 ? naiveAlongRows(in, g, kernel.weights()) : null;
        double[] direct = new double[g * g];
        GaussianBlur.alongRows(in, direct, g, kernel);
        double[] byFft = new double[g * g];
        GaussianBlur.alongRowsByFft(in, byFft, g, kernel, GaussianBlur.FftBuffers.forGrid(g));
        for (int i = 0; i < g * g; i++) {
            if (expected != null) {
                assertEquals(expected[i], direct[i], 1e-14, "direct cell " + i);
            }
            assertEquals(direct[i], byFft[i], 1e-13, "fft cell " + i);
        }
    }
}
