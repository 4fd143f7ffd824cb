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

    /** Rows {@link #smoothAlongColumns} runs together. */
    private static final int ROWS_SIDE_BY_SIDE = 4;

    private final int gridSize;
    private final double lambda;
    /** L[i+1][i]. */
    private final double[] subDiagonal1;
    /** L[i+2][i]. */
    private final double[] subDiagonal2;
    /** 1 / D[i]. */
    private final double[] inversePivot;

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
        // four rows side by side give the core four independent chains (same operations per row).
        for (; r + ROWS_SIDE_BY_SIDE <= rows && g >= 2; r += ROWS_SIDE_BY_SIDE) {
            smoothFourRows(matrix, r * g, g);
        }
        for (; r < rows; r++) {
            smoothOneRow(matrix, r * g, g);
        }
    }

    private void smoothOneRow(double[] matrix, int base, int g) {
        // one sequential recurrence per row; carried in locals so it stays in registers
        double z2 = 0.0;
        double z1 = 0.0;
        for (int i = 0; i < g; i++) {
            double z = matrix[base + i];
            if (i >= 1) {
                z -= subDiagonal1[i - 1] * z1;
            }
            if (i >= 2) {
                z -= subDiagonal2[i - 2] * z2;
            }
            matrix[base + i] = z;
            z2 = z1;
            z1 = z;
        }
        double x2 = 0.0;
        double x1 = 0.0;
        for (int i = g - 1; i >= 0; i--) {
            double x = matrix[base + i] * inversePivot[i];
            if (i + 1 < g) {
                x -= subDiagonal1[i] * x1;
            }
            if (i + 2 < g) {
                x -= subDiagonal2[i] * x2;
            }
            matrix[base + i] = x;
            x2 = x1;
            x1 = x;
        }
    }

    /** {@link #smoothOneRow} on rows starting at base, base + g, base + 2g, base + 3g at once; g ≥ 2. */
    private void smoothFourRows(double[] m, int base, int g) {
        int b0 = base;
        int b1 = base + g;
        int b2 = base + 2 * g;
        int b3 = base + 3 * g;
        // forward: the first two steps peeled, so the loop carries no boundary tests
        double a1 = m[b0];
        double c1 = m[b1];
        double d1 = m[b2];
        double e1 = m[b3];
        double l = subDiagonal1[0];
        double a0 = m[b0 + 1] - l * a1;
        double c0 = m[b1 + 1] - l * c1;
        double d0 = m[b2 + 1] - l * d1;
        double e0 = m[b3 + 1] - l * e1;
        m[b0 + 1] = a0;
        m[b1 + 1] = c0;
        m[b2 + 1] = d0;
        m[b3 + 1] = e0;
        for (int i = 2; i < g; i++) {
            double l1 = subDiagonal1[i - 1];
            double l2 = subDiagonal2[i - 2];
            double a = m[b0 + i] - l1 * a0;
            double c = m[b1 + i] - l1 * c0;
            double d = m[b2 + i] - l1 * d0;
            double e = m[b3 + i] - l1 * e0;
            a -= l2 * a1;
            c -= l2 * c1;
            d -= l2 * d1;
            e -= l2 * e1;
            m[b0 + i] = a;
            m[b1 + i] = c;
            m[b2 + i] = d;
            m[b3 + i] = e;
            a1 = a0;
            c1 = c0;
            d1 = d0;
            e1 = e0;
            a0 = a;
            c0 = c;
            d0 = d;
            e0 = e;
        }
        // backward
        int last = g - 1;
        double p = inversePivot[last];
        a1 = m[b0 + last] * p;
        c1 = m[b1 + last] * p;
        d1 = m[b2 + last] * p;
        e1 = m[b3 + last] * p;
        m[b0 + last] = a1;
        m[b1 + last] = c1;
        m[b2 + last] = d1;
        m[b3 + last] = e1;
        p = inversePivot[last - 1];
        l = subDiagonal1[last - 1];
        a0 = m[b0 + last - 1] * p - l * a1;
        c0 = m[b1 + last - 1] * p - l * c1;
        d0 = m[b2 + last - 1] * p - l * d1;
        e0 = m[b3 + last - 1] * p - l * e1;
        m[b0 + last - 1] = a0;
        m[b1 + last - 1] = c0;
        m[b2 + last - 1] = d0;
        m[b3 + last - 1] = e0;
        for (int i = g - 3; i >= 0; i--) {
            double q = inversePivot[i];
            double l1 = subDiagonal1[i];
            double l2 = subDiagonal2[i];
            double a = m[b0 + i] * q - l1 * a0;
            double c = m[b1 + i] * q - l1 * c0;
            double d = m[b2 + i] * q - l1 * d0;
            double e = m[b3 + i] * q - l1 * e0;
            a -= l2 * a1;
            c -= l2 * c1;
            d -= l2 * d1;
            e -= l2 * e1;
            m[b0 + i] = a;
            m[b1 + i] = c;
            m[b2 + i] = d;
            m[b3 + i] = e;
            a1 = a0;
            c1 = c0;
            d1 = d0;
            e1 = e0;
            a0 = a;
            c0 = c;
            d0 = d;
            e0 = e;
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
