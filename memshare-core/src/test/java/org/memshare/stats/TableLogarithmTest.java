package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TableLogarithmTest {

    /** Within 2 ulp of max(|ln x|, 2^−7) of the correctly rounded logarithm's neighbourhood (StrictMath, < 1 ulp). */
    private static void assertClose(double x) {
        double expected = StrictMath.log(x);
        double actual = TableLogarithm.log(x);
        double tolerance = 2 * Math.ulp(Math.max(Math.abs(expected), 0x1p-7));
        assertTrue(Math.abs(actual - expected) <= tolerance,
            "x=" + x + ", expected=" + expected + ", actual=" + actual + ", tolerance=" + tolerance);
    }

    @Test
    void agreesWithTheLibraryLogarithmOverManyMagnitudes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2_000_000; i++) {
            double x = Math.exp((random.nextDouble() - 0.5) * (i % 4 == 0 ? 1400 : i % 4 == 1 ? 40 : 0.05));
            assertClose(x);
        }
    }

    @Test
    void isExactAtOneAndAroundItsTableEdges() {
        assertEquals(0.0, TableLogarithm.log(1.0), 0.0);
        for (double x = 0.6; x < 1.5; x = Math.nextUp(x + 1e-5)) {
            assertClose(x);
            assertClose(Math.nextDown(x));
        }
        for (int i = 0; i <= 128; i++) {
            double edge = Double.longBitsToDouble(0x3fe6_0000_0000_0000L + ((long) i << 45));
            assertClose(edge);
            assertClose(Math.nextDown(edge));
            assertClose(Math.nextUp(edge));
        }
        assertClose(Double.MAX_VALUE);
        assertClose(Double.MIN_NORMAL);
    }

    @Test
    void specialValuesAreThoseOfMathLog() {
        for (double x : new double[] {0.0, -0.0, -1.0, Double.MIN_VALUE, 1e-310, Double.POSITIVE_INFINITY,
                                      Double.NEGATIVE_INFINITY, Double.NaN}) {
            assertEquals(Math.log(x), TableLogarithm.log(x), 0.0, "x=" + x);
        }
    }
}
