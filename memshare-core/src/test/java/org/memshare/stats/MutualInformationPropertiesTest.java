package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MutualInformationPropertiesTest {

    private static final double EPS = MutualInformation.DEFAULT_EPS;

    private static double[][] correlatedNormals(int n, double rho, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
            y[i] = rho * x[i] + Math.sqrt(1 - rho * rho) * random.nextGaussian();
        }
        return new double[][] {x, y};
    }

    private static double[] classesOf(double[] x) {
        double[] classes = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            classes[i] = x[i] < -0.5 ? 1 : x[i] < 0.7 ? 2 : 3;
        }
        return classes;
    }

    @Test
    void defaultEpsIsThousandMachineEpsilons() {
        assertEquals(1000 * 2.220446049250313e-16, EPS, 1e-30);
    }

    @Test
    void continuousPairIsSymmetric() {
        double[][] xy = correlatedNormals(1500, 0.6, 1);
        assertEquals(MutualInformation.mutualinfo(xy[0], xy[1]), MutualInformation.mutualinfo(xy[1], xy[0]), 1e-12);
    }

    @Test
    void mixedPairIsSymmetricWhenFlagsSwapWithTheVariables() {
        double[][] xy = correlatedNormals(1500, 0.6, 2);
        double[] classes = classesOf(xy[1]);
        double xFirst = MutualInformation.mutualinfo(xy[0], classes, false, true);
        double classesFirst = MutualInformation.mutualinfo(classes, xy[0], true, false);
        assertEquals(xFirst, classesFirst, 0.0);
        assertTrue(xFirst > 0.05, "dependent pair has clearly positive MI: mi=" + xFirst);
    }

    @Test
    void discretePairIsSymmetric() {
        double[][] xy = correlatedNormals(800, 0.5, 3);
        double[] a = classesOf(xy[0]);
        double[] b = classesOf(xy[1]);
        assertEquals(MutualInformation.mutualinfo(a, b, true, true), MutualInformation.mutualinfo(b, a, true, true), 1e-15);
    }

    @Test
    void continuousPairIsInvariantToShiftAndPositiveScale() {
        double[][] xy = correlatedNormals(1200, 0.5, 4);
        double reference = MutualInformation.mutualinfo(xy[0], xy[1]);
        double[] x = xy[0].clone();
        double[] y = xy[1].clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = 3.0 * x[i] + 100.0;
            y[i] = 0.25 * y[i] - 7.0;
        }
        assertEquals(reference, MutualInformation.mutualinfo(x, y), 1e-9 * reference);
    }

    @Test
    void mixedPairIsInvariantToShiftAndPositiveScaleOfEitherVariable() {
        double[][] xy = correlatedNormals(1200, 0.5, 5);
        double[] classes = classesOf(xy[1]);
        double reference = MutualInformation.mutualinfo(xy[0], classes, false, true);
        double[] x = xy[0].clone();
        double[] relabelled = classes.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = 8.0 * x[i] - 3.0;
            relabelled[i] = 10.0 * classes[i] + 5.0;
        }
        assertEquals(reference, MutualInformation.mutualinfo(x, relabelled, false, true), 1e-9 * reference);
    }

    @Test
    void fewerThanThreePairsGiveZero() {
        assertEquals(0.0, MutualInformation.mutualinfo(new double[] {1, 2}, new double[] {3, 5}));
        assertEquals(0.0, MutualInformation.mutualinfo(new double[0], new double[0], true, true));
        double[] withGaps = {1, Double.NaN, 2, 3};
        double[] other = {4, 5, Double.NaN, 7};
        assertEquals(0.0, MutualInformation.mutualinfo(withGaps, other, false, false, EPS, true));
    }

    @Test
    void constantVariableGivesZero() {
        double[][] xy = correlatedNormals(500, 0.5, 6);
        double[] constant = new double[500];
        Arrays.fill(constant, 4.2);
        assertEquals(0.0, MutualInformation.mutualinfo(constant, xy[1]));
        assertEquals(0.0, MutualInformation.mutualinfo(xy[0], constant, false, true));
        assertEquals(0.0, MutualInformation.mutualinfo(constant, classesOf(xy[1]), true, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 7, 16})
    void uniformDiscreteVariableWithItselfHasLnKNats(int k) {
        double[] x = new double[k * 37];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % k;
        }
        assertEquals(Math.log(k), MutualInformation.mutualinfo(x, x, true, true), 2 * Math.ulp(Math.log(k)));
    }

    @Test
    void balancedIndependentTableHasZeroInformation() {
        int kx = 4;
        int ky = 3;
        int repeats = 5;
        double[] a = new double[kx * ky * repeats];
        double[] b = new double[a.length];
        int next = 0;
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < kx; i++) {
                for (int j = 0; j < ky; j++) {
                    a[next] = i * 1.5;
                    b[next] = -j;
                    next++;
                }
            }
        }
        assertEquals(0.0, MutualInformation.mutualinfo(a, b, true, true), 1e-15);
    }

    @Test
    void discreteEstimateIsThePlugInFormulaInNats() {
        double[] a = {0, 0, 0, 1, 1, 1};
        double[] b = {0, 0, 1, 1, 1, 1};
        // p(0,0)=2/6, p(0,1)=1/6, p(1,1)=3/6; p_a = (1/2, 1/2), p_b = (1/3, 2/3)
        double expected = 2.0 / 6 * Math.log((2.0 / 6) / (0.5 / 3)) + 1.0 / 6 * Math.log((1.0 / 6) / (0.5 * 2 / 3))
                + 3.0 / 6 * Math.log((3.0 / 6) / (0.5 * 2 / 3));
        assertEquals(expected, MutualInformation.mutualinfo(a, b, true, true), 1e-15);
    }

    @Test
    void naRmDropsExactlyThePairsWithAMissingValue() {
        double[][] xy = correlatedNormals(900, 0.7, 7);
        double[] x = new double[1000];
        double[] y = new double[1000];
        int next = 0;
        for (int i = 0; i < 1000; i++) {
            if (i % 10 == 3) {
                x[i] = i % 20 == 3 ? Double.NaN : 1e6;
                y[i] = i % 20 == 3 ? 0.0 : Double.POSITIVE_INFINITY;
            } else {
                x[i] = xy[0][next];
                y[i] = xy[1][next];
                next++;
            }
        }
        double dropped = MutualInformation.mutualinfo(x, y, false, false, EPS, true);
        assertEquals(MutualInformation.mutualinfo(xy[0], xy[1]), dropped, 0.0);

        double[] classes = classesOf(y);
        for (int i = 3; i < 1000; i += 10) {
            classes[i] = Double.isNaN(x[i]) ? 2.0 : Double.NaN; // every gap pair has one missing value
        }
        assertEquals(MutualInformation.mutualinfo(xy[0], classesOf(xy[1]), false, true),
                MutualInformation.mutualinfo(x, classes, false, true, EPS, true), 0.0);
    }

    @Test
    void missingValuesWithoutNaRmAreRejectedWithCounts() {
        double[] x = {1, 2, Double.NaN, 4, 5};
        double[] y = {1, 3, 2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MutualInformation.mutualinfo(x, y));
        assertEquals("non-finite values present and naRm=false: x.nonFinite=1, y.nonFinite=2"
                + " (pass naRm=true to drop those pairs)", error.getMessage());
    }

    @Test
    void allValuesMissingWithNaRmGiveZero() {
        double[] missing = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        assertEquals(0.0, MutualInformation.mutualinfo(missing, missing, false, false, EPS, true));
    }

    @Test
    void differentLengthsAreRejectedNamingBoth() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MutualInformation.mutualinfo(new double[10], new double[12]));
        assertEquals("x and y differ in length: x.length=10, y.length=12", error.getMessage());
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        NullPointerException nullX = assertThrows(NullPointerException.class,
                () -> MutualInformation.mutualinfo(null, new double[3]));
        assertEquals("x", nullX.getMessage());
        NullPointerException nullY = assertThrows(NullPointerException.class,
                () -> MutualInformation.mutualinfo(new double[3], null, true, false));
        assertEquals("y", nullY.getMessage());
    }

    @Test
    void negativeEpsIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MutualInformation.mutualinfo(new double[3], new double[3], false, false, -1.0, false));
        assertEquals("eps must be non-negative: eps=-1.0", error.getMessage());
    }

    @Test
    void independentContinuousPairHasMuchLessInformationThanDependentOne() {
        double[][] independent = correlatedNormals(2000, 0.0, 8);
        double[][] dependent = correlatedNormals(2000, 0.8, 8);
        double low = MutualInformation.mutualinfo(independent[0], independent[1]);
        double high = MutualInformation.mutualinfo(dependent[0], dependent[1]);
        // Gaussian MI is -0.5 ln(1 - rho^2) = 0.51 nats for rho = 0.8; the smoothing biases the estimate low
        assertTrue(low < 0.03, "independent: mi=" + low);
        assertTrue(high > 0.2 && high < 0.6, "rho=0.8: mi=" + high);
    }

    @org.junit.jupiter.api.Test
    void valuesWhoseSpanOverflowsAreRefusedNotSilentlyZero() {
        double[] huge = {-1e308, 1e308, 0, 5e307, -5e307};
        double[] y = {0, 1, 0, 1, 0};
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> MutualInformation.mutualinfo(huge, y, false, true));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("x.min=-1.0E308"), e.getMessage());
        // the same values as discrete classes need no grid
        org.junit.jupiter.api.Assertions.assertTrue(MutualInformation.mutualinfo(huge, y, true, true) >= 0);
    }
}
