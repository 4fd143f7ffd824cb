package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EilersGoemanSmootherTest {

    /** A = I + λ²·D2ᵀD2 + 2λ·D1ᵀD1 built from explicit dense difference matrices. */
    private static double[][] explicitSystem(int g, double lambda) {
        double[][] d1 = new double[g - 1][g];
        for (int r = 0; r < g - 1; r++) {
            d1[r][r] = -1;
            d1[r][r + 1] = 1;
        }
        double[][] d2 = new double[g - 2][g];
        for (int r = 0; r < g - 2; r++) {
            for (int c = 0; c < g; c++) {
                d2[r][c] = d1[r + 1][c] - d1[r][c];
            }
        }
        double[][] a = new double[g][g];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                double value = i == j ? 1 : 0;
                for (int r = 0; r < g - 1; r++) {
                    value += 2 * lambda * d1[r][i] * d1[r][j];
                }
                for (int r = 0; r < g - 2; r++) {
                    value += lambda * lambda * d2[r][i] * d2[r][j];
                }
                a[i][j] = value;
            }
        }
        return a;
    }

    /** Gauss–Jordan inverse with partial pivoting: independent of the banded factorisation. */
    private static double[][] invert(double[][] matrix) {
        int g = matrix.length;
        double[][] work = new double[g][2 * g];
        for (int i = 0; i < g; i++) {
            System.arraycopy(matrix[i], 0, work[i], 0, g);
            work[i][g + i] = 1;
        }
        for (int col = 0; col < g; col++) {
            int pivot = col;
            for (int r = col + 1; r < g; r++) {
                if (Math.abs(work[r][col]) > Math.abs(work[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = work[col];
            work[col] = work[pivot];
            work[pivot] = swap;
            double p = work[col][col];
            for (int c = 0; c < 2 * g; c++) {
                work[col][c] /= p;
            }
            for (int r = 0; r < g; r++) {
                if (r != col) {
                    double factor = work[r][col];
                    for (int c = 0; c < 2 * g; c++) {
                        work[r][c] -= factor * work[col][c];
                    }
                }
            }
        }
        double[][] inverse = new double[g][g];
        for (int i = 0; i < g; i++) {
            System.arraycopy(work[i], g, inverse[i], 0, g);
        }
        return inverse;
    }

    @ParameterizedTest
    @CsvSource({"8, 2.0", "8, 128.0", "5, 0.7", "12, 62.5", "3, 1.0"})
    void denseSmootherEqualsExplicitInverse(int g, double lambda) {
        double[][] expected = invert(explicitSystem(g, lambda));
        double[][] actual = EilersGoemanSmoother.of(g, lambda).dense();
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-10, "S[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void smootherIsSymmetricAndPreservesMass() {
        double[][] s = EilersGoemanSmoother.of(64, 16.0).dense();
        for (int i = 0; i < 64; i++) {
            double rowSum = 0;
            for (int j = 0; j < 64; j++) {
                assertEquals(s[i][j], s[j][i], 1e-12, "S[" + i + "][" + j + "]");
                rowSum += s[i][j];
            }
            // differences annihilate constants, so S·1 = 1
            assertEquals(1.0, rowSum, 1e-9);
        }
    }

    @Test
    void smoothingAlongRowsAndColumnsAgreeWithDenseProducts() {
        int g = 16;
        int other = 5;
        EilersGoemanSmoother smoother = EilersGoemanSmoother.of(g, 3.0);
        double[][] s = smoother.dense();
        Random random = new Random(9);
        double[] tall = new double[g * other];
        for (int i = 0; i < tall.length; i++) {
            tall[i] = random.nextDouble();
        }
        double[] wide = new double[other * g];
        for (int r = 0; r < other; r++) {
            for (int c = 0; c < g; c++) {
                wide[r * g + c] = tall[c * other + r]; // wide = tallᵀ
            }
        }
        double[] smoothedTall = tall.clone();
        smoother.smoothAlongRows(smoothedTall, other);
        double[] smoothedWide = wide.clone();
        smoother.smoothAlongColumns(smoothedWide, other);
        for (int i = 0; i < g; i++) {
            for (int c = 0; c < other; c++) {
                double expected = 0;
                for (int k = 0; k < g; k++) {
                    expected += s[i][k] * tall[k * other + c];
                }
                assertEquals(expected, smoothedTall[i * other + c], 1e-12, "(S·M)[" + i + "][" + c + "]");
                assertEquals(expected, smoothedWide[c * g + i], 1e-12, "(Mᵀ·S)[" + c + "][" + i + "]");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "3, 4", "4, 5", "16, 9", "512, 7"})
    void rowsSmoothedSideBySideEqualEachRowSmoothedAloneBitForBit(int g, int rows) {
        EilersGoemanSmoother smoother = EilersGoemanSmoother.of(g, g / 4.0);
        Random random = new Random(g * 31L + rows);
        double[] matrix = new double[rows * g];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextInt(3) == 0 ? random.nextDouble() : 0.0;
        }
        double[] together = matrix.clone();
        smoother.smoothAlongColumns(together, rows);
        for (int r = 0; r < rows; r++) {
            double[] alone = Arrays.copyOfRange(matrix, r * g, (r + 1) * g);
            smoother.smoothAlongColumns(alone, 1);
            for (int i = 0; i < g; i++) {
                assertEquals(Double.doubleToLongBits(alone[i]), Double.doubleToLongBits(together[r * g + i]),
                    "row " + r + ", column " + i);
            }
        }
    }

    @Test
    void factorisationIsCachedPerGridSizeAndLambda() {
        assertSame(EilersGoemanSmoother.of(512, 128.0), EilersGoemanSmoother.of(512, 128.0));
    }

    @Test
    void badParametersAreRejected() {
        assertEquals("grid size must be positive: gridSize=0",
                assertThrows(IllegalArgumentException.class, () -> EilersGoemanSmoother.of(0, 1.0)).getMessage());
        assertEquals("lambda must be finite and non-negative: lambda=NaN",
                assertThrows(IllegalArgumentException.class, () -> EilersGoemanSmoother.of(4, Double.NaN)).getMessage());
        assertEquals("array too small: matrix.length=7, required=8",
                assertThrows(IllegalArgumentException.class,
                        () -> EilersGoemanSmoother.of(4, 1.0).smoothAlongRows(new double[7], 2)).getMessage());
    }
}
