package org.memshare.stats;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The Eilers–Goeman (2004) histogram smoother S = (I + λ²·D2ᵀD2 + 2λ·D1ᵀD1)⁻¹ on a grid of G points,
 * D1 and D2 being the first- and second-difference matrices ((G−1)×G and (G−2)×G).
 *
 * <p>S is never formed: A = S⁻¹ is symmetric positive definite and pentadiagonal, so it is factored
 * once as A = L·D·Lᵀ (L unit lower triangular with two sub-diagonals) and every application of S is a
 * forward and a backward sweep, O(G) per vector. Instances are immutable and thread-safe; {@link #of}
 * caches them per (G, λ).
 *
 * {@snippet :
 * EilersGoemanSmoother smoother = EilersGoemanSmoother.of(512, 128.0);
 * double[] histogram = new double[512 * 300];          // row-major, 512 rows x 300 columns
 * smoother.smoothAlongRows(histogram, 300);            // histogram := S * histogram
 * double[] square = new double[512 * 512];
 * smoother.smoothAlongColumns(square, 512);            // square := square * S
 * }
 */
public final class EilersGoemanSmoother {

    private static final ConcurrentHashMap<CacheKey, EilersGoemanSmoother> CACHE = new ConcurrentHashMap<>();

    private record CacheKey(int gridSize, long lambdaBits) {
    }

    /** Rows {@link #smoothAlongColumns} runs together (each row's chain is latency-bound alone). */
    private static final int ROWS_SIDE_BY_SIDE = 8;

    private final int gridSize;
    private final double lambda;
    /** L[i+1][i]. */
    private final double[] subDiagonal1;
    /** L[i+2][i]. */
    private final double[] subDiagonal2;
    /** 1 / D[i]. */
    private final double[] inversePivot;
    /** The row sweeps' coefficients per step i (0 outside the band): forward L[i][i−1], L[i][i−2]. */
    private final double[] forwardL1;
    private final double[] forwardL2;
    /** Backward: L[i+1][i], L[i+2][i]. */
    private final double[] backwardL1;
    private final double[] backwardL2;
    /** The forward sweep's scale: 1 (m·1 = m exactly), so both sweeps share one loop. */
    private final double[] ones;

    private EilersGoemanSmoother(int gridSize, double lambda) {
        this.gridSize = gridSize;
        this.lambda = lambda;
        double[][] bands = penalisedBands(gridSize, lambda);
        double[] a0 = bands[0];
        double[] a1 = bands[1];
        double[] a2 = bands[2];
        subDiagonal1 = new double[gridSize];
        subDiagonal2 = new double[gridSize];
        inversePivot = new double[gridSize];
        double[] pivot = new double[gridSize];
        for (int j = 0; j < gridSize; j++) {
            double d = a0[j];
            if (j >= 1) {
                d -= subDiagonal1[j - 1] * subDiagonal1[j - 1] * pivot[j - 1];
            }
            if (j >= 2) {
                d -= subDiagonal2[j - 2] * subDiagonal2[j - 2] * pivot[j - 2];
            }
            pivot[j] = d;
            inversePivot[j] = 1.0 / d;
            if (j + 1 < gridSize) {
                double off = a1[j];
                if (j >= 1) {
                    off -= subDiagonal2[j - 1] * subDiagonal1[j - 1] * pivot[j - 1];
                }
                subDiagonal1[j] = off / d;
            }
            if (j + 2 < gridSize) {
                subDiagonal2[j] = a2[j] / d;
            }
        }
        forwardL1 = new double[gridSize];
        forwardL2 = new double[gridSize];
        backwardL1 = new double[gridSize];
        backwardL2 = new double[gridSize];
        ones = new double[gridSize];
        for (int i = 0; i < gridSize; i++) {
            forwardL1[i] = i >= 1 ? subDiagonal1[i - 1] : 0.0;
            forwardL2[i] = i >= 2 ? subDiagonal2[i - 2] : 0.0;
            backwardL1[i] = i + 1 < gridSize ? subDiagonal1[i] : 0.0;
            backwardL2[i] = i + 2 < gridSize ? subDiagonal2[i] : 0.0;
            ones[i] = 1.0;
        }
    }

    /**
     * The smoother for grid size G and parameter λ, factored once and cached.
     *
     * @param gridSize number of grid points G, at least 1
     * @param lambda   smoothing parameter λ, finite and non-negative
     * @return the (shared) smoother
     * @throws IllegalArgumentException if G &lt; 1 or λ is negative or not finite
     */
    public static EilersGoemanSmoother of(int gridSize, double lambda) {
        if (gridSize < 1) {
            throw new IllegalArgumentException("grid size must be positive: gridSize=" + gridSize);
        }
        if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and non-negative: lambda=" + lambda);
        }
        return CACHE.computeIfAbsent(new CacheKey(gridSize, Double.doubleToLongBits(lambda)),
                key -> new EilersGoemanSmoother(gridSize, lambda));
    }

    /**
     * The number of grid points the smoother works on.
     *
     * @return the grid size G
     */
    public int gridSize() {
        return gridSize;
    }

    /**
     * The weight of the roughness penalty: larger is smoother.
     *
     * @return the smoothing parameter λ
     */
    public double lambda() {
        return lambda;
    }

    /**
     * Diagonal, first and second super-diagonal of A = I + λ²·D2ᵀD2 + 2λ·D1ᵀD1, accumulated row by row
     * from the difference stencils so the boundary rows come out right for every G.
     */
    static double[][] penalisedBands(int g, double lambda) {
        double[] a0 = new double[g];
        double[] a1 = new double[g];
        double[] a2 = new double[g];
        for (int i = 0; i < g; i++) {
            a0[i] = 1.0;
        }
        double w1 = 2.0 * lambda;
        for (int r = 0; r + 1 < g; r++) { // D1 row r: -1 at r, +1 at r+1
            a0[r] += w1;
            a0[r + 1] += w1;
            a1[r] -= w1;
        }
        double w2 = lambda * lambda;
        for (int r = 0; r + 2 < g; r++) { // D2 row r: 1, -2, 1 at r, r+1, r+2
            a0[r] += w2;
            a0[r + 1] += 4.0 * w2;
            a0[r + 2] += w2;
            a1[r] -= 2.0 * w2;
            a1[r + 1] -= 2.0 * w2;
            a2[r] += w2;
        }
        return new double[][] {a0, a1, a2};
    }

    /**
     * Replaces the vector v (length G) by S·v.
     *
     * @param v vector of length G, overwritten
     * @throws IllegalArgumentException if the length is not G
     */
    public void smoothVector(double[] v) {
        if (v.length != gridSize) {
            throw new IllegalArgumentException("wrong size: v.length=" + v.length + ", gridSize=" + gridSize);
        }
        smoothAlongRows(v, 1);
    }

    /**
     * Replaces the row-major matrix M (G rows × {@code columns} columns) by S·M, i.e. smooths every
     * column. The sweeps run over whole rows, so the inner loops are contiguous and vectorise.
     *
     * @param matrix  row-major G × columns matrix, overwritten
     * @param columns number of columns
     * @throws IllegalArgumentException if matrix.length &lt; G·columns (a longer array's tail is left alone)
     */
    public void smoothAlongRows(double[] matrix, int columns) {
        requireLength("matrix.length", matrix.length, (long) gridSize * columns);
        int g = gridSize;
        for (int i = 1; i < g; i++) { // forward: L z = b
            int row = i * columns;
            int previous = row - columns;
            double l1 = subDiagonal1[i - 1];
            if (i >= 2) {
                int beforePrevious = previous - columns;
                double l2 = subDiagonal2[i - 2];
                for (int c = 0; c < columns; c++) {
                    matrix[row + c] -= l1 * matrix[previous + c] + l2 * matrix[beforePrevious + c];
                }
            } else {
                for (int c = 0; c < columns; c++) {
                    matrix[row + c] -= l1 * matrix[previous + c];
                }
            }
        }
        // D y = z folded into the backward sweep: each row is scaled by 1/D[i] just before it is used
        int lastRow = (g - 1) * columns;
        double lastInverse = inversePivot[g - 1];
        for (int c = 0; c < columns; c++) {
            matrix[lastRow + c] *= lastInverse;
        }
        for (int i = g - 2; i >= 0; i--) { // backward: Lᵀ x = y
            int row = i * columns;
            int next = row + columns;
            double inverse = inversePivot[i];
            double l1 = subDiagonal1[i];
            if (i + 2 < g) {
                int afterNext = next + columns;
                double l2 = subDiagonal2[i];
                for (int c = 0; c < columns; c++) {
                    matrix[row + c] = matrix[row + c] * inverse - (l1 * matrix[next + c] + l2 * matrix[afterNext + c]);
                }
            } else {
                for (int c = 0; c < columns; c++) {
                    matrix[row + c] = matrix[row + c] * inverse - l1 * matrix[next + c];
                }
            }
        }
    }

    /**
     * Replaces the row-major matrix M ({@code rows} rows × G columns) by M·S, i.e. smooths every row
     * (S is symmetric, so this is (S·Mᵀ)ᵀ).
     *
     * @param matrix row-major rows × G matrix, overwritten
     * @param rows   number of rows
     * @throws IllegalArgumentException if matrix.length &lt; rows·G (a longer array's tail is left alone)
     */
    public void smoothAlongColumns(double[] matrix, int rows) {
        requireLength("matrix.length", matrix.length, (long) rows * gridSize);
        int g = gridSize;
        int r = 0;
        // Each row is one sequential recurrence, so a single row runs at the latency of its chain;
        // eight rows side by side give the core eight independent chains (same operations per row).
        for (; r + ROWS_SIDE_BY_SIDE <= rows; r += ROWS_SIDE_BY_SIDE) {
            smoothRowsSideBySide(matrix, r * g, g);
        }
        for (; r < rows; r++) {
            smoothOneRow(matrix, r * g, g);
        }
    }

    private void smoothOneRow(double[] m, int base, int g) {
        sweepOneRow(m, base, g, true, ones, forwardL1, forwardL2);
        sweepOneRow(m, base, g, false, inversePivot, backwardL1, backwardL2);
    }

    /**
     * One sweep of the solve along a row: step by step (ascending or descending),
     * x = m[i]·scale[i] − l1[i]·(previous x) − l2[i]·(the one before); the coefficients are 0 where
     * the band has no entry, which leaves every value as the textbook sweep computes it.
     */
    private static void sweepOneRow(double[] m, int base, int g, boolean ascending, double[] scale, double[] l1,
                                    double[] l2) {
        double previous = 0.0;
        double beforePrevious = 0.0;
        for (int step = 0; step < g; step++) {
            int i = ascending ? step : g - 1 - step;
            double x = m[base + i] * scale[i] - l1[i] * previous - l2[i] * beforePrevious;
            m[base + i] = x;
            beforePrevious = previous;
            previous = x;
        }
    }

    /** {@link #smoothOneRow} on the 8 rows starting at base, base + g, …, their chains interleaved. */
    private void smoothRowsSideBySide(double[] m, int base, int g) {
        sweepRowsSideBySide(m, base, g, true, ones, forwardL1, forwardL2);
        sweepRowsSideBySide(m, base, g, false, inversePivot, backwardL1, backwardL2);
    }

    /** {@link #sweepOneRow} on 8 rows at once. */
    private static void sweepRowsSideBySide(double[] m, int base, int g, boolean ascending, double[] scale,
                                            double[] l1, double[] l2) {
        int b0 = base;
        int b1 = base + 1 * g;
        int b2 = base + 2 * g;
        int b3 = base + 3 * g;
        int b4 = base + 4 * g;
        int b5 = base + 5 * g;
        int b6 = base + 6 * g;
        int b7 = base + 7 * g;
        double p0 = 0.0;
        double p1 = 0.0;
        double p2 = 0.0;
        double p3 = 0.0;
        double p4 = 0.0;
        double p5 = 0.0;
        double p6 = 0.0;
        double p7 = 0.0;
        double q0 = 0.0;
        double q1 = 0.0;
        double q2 = 0.0;
        double q3 = 0.0;
        double q4 = 0.0;
        double q5 = 0.0;
        double q6 = 0.0;
        double q7 = 0.0;
        for (int step = 0; step < g; step++) {
            int i = ascending ? step : g - 1 - step;
            double s = scale[i];
            double c1 = l1[i];
            double c2 = l2[i];
            double x0 = m[b0 + i] * s - c1 * q0 - c2 * p0;
            double x1 = m[b1 + i] * s - c1 * q1 - c2 * p1;
            double x2 = m[b2 + i] * s - c1 * q2 - c2 * p2;
            double x3 = m[b3 + i] * s - c1 * q3 - c2 * p3;
            double x4 = m[b4 + i] * s - c1 * q4 - c2 * p4;
            double x5 = m[b5 + i] * s - c1 * q5 - c2 * p5;
            double x6 = m[b6 + i] * s - c1 * q6 - c2 * p6;
            double x7 = m[b7 + i] * s - c1 * q7 - c2 * p7;
            m[b0 + i] = x0;
            m[b1 + i] = x1;
            m[b2 + i] = x2;
            m[b3 + i] = x3;
            m[b4 + i] = x4;
            m[b5 + i] = x5;
            m[b6 + i] = x6;
            m[b7 + i] = x7;
            p0 = q0;
            p1 = q1;
            p2 = q2;
            p3 = q3;
            p4 = q4;
            p5 = q5;
            p6 = q6;
            p7 = q7;
            q0 = x0;
            q1 = x1;
            q2 = x2;
            q3 = x3;
            q4 = x4;
            q5 = x5;
            q6 = x6;
            q7 = x7;
        }
    }

    /**
     * The dense G × G matrix S, column by column from solves against unit vectors. Meant for tests and
     * inspection: O(G²) memory.
     *
     * @return a fresh array {@code s} with {@code s[i][j]} = S[i][j]
     */
    public double[][] dense() {
        double[] identity = new double[gridSize * gridSize];
        for (int i = 0; i < gridSize; i++) {
            identity[i * gridSize + i] = 1.0;
        }
        smoothAlongRows(identity, gridSize);
        double[][] s = new double[gridSize][gridSize];
        for (int i = 0; i < gridSize; i++) {
            System.arraycopy(identity, i * gridSize, s[i], 0, gridSize);
        }
        return s;
    }

    /** Scratch arrays may be longer than the matrix they hold; only the prefix is used. */
    private static void requireLength(String name, long actual, long required) {
        if (actual < required) {
            throw new IllegalArgumentException("array too small: " + name + "=" + actual + ", required=" + required);
        }
    }
}
