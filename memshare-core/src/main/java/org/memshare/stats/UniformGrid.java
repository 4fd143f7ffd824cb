package org.memshare.stats;

/**
 * The kernel grid of the estimator: {@code size} points from {@code from} to {@code to} built as R's
 * {@code seq(from, to, length.out = size)} builds them (from + i·by inside, the last point exactly
 * {@code to}), with the histogram bins R derives from it: edges −∞, the midpoints
 * xs[i] + ½·(xs[i+1] − xs[i]), +∞, and a value on an edge belonging to the upper bin (findInterval).
 */
final class UniformGrid {

    private final double[] points;
    private final double[] upperEdges;
    private final double meanSpacing;
    private final double first;

    private UniformGrid(double[] points) {
        this.points = points;
        this.first = points[0];
        int size = points.length;
        upperEdges = new double[size - 1];
        for (int i = 0; i + 1 < size; i++) {
            upperEdges[i] = points[i] + 0.5 * (points[i + 1] - points[i]);
        }
        meanSpacing = meanOfDifferences(points);
    }

    static UniformGrid of(double from, double to, int size) {
        double[] points = new double[size];
        points[0] = from;
        points[size - 1] = to;
        double by = (to - from) / (size - 1);
        for (int i = 1; i < size - 1; i++) {
            points[i] = from + i * by;
        }
        return new UniformGrid(points);
    }

    int size() {
        return points.length;
    }

    /** xs[i + 1] − xs[i], the exact spacing R uses in the normalising integral. */
    double spacing(int i) {
        return points[i + 1] - points[i];
    }

    /** R's {@code mean(diff(xs))}, the Δ of the blur kernel and the Riemann sums. */
    double meanSpacing() {
        return meanSpacing;
    }

    /** 0-based bin of a finite value: the number of midpoint edges ≤ value. */
    int binOf(double value) {
        int last = points.length - 1;
        // a guess from the nominal spacing, then corrected against the exact edges R compares with
        int bin = (int) Math.floor((value - first) / meanSpacing + 0.5);
        bin = Math.max(0, Math.min(last, bin));
        while (bin > 0 && value < upperEdges[bin - 1]) {
            bin--;
        }
        while (bin < last && value >= upperEdges[bin]) {
            bin++;
        }
        return bin;
    }

    /** Like R's mean(): the plain average refined by the average residual. */
    private static double meanOfDifferences(double[] points) {
        int count = points.length - 1;
        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            sum += points[i + 1] - points[i];
        }
        double mean = sum / count;
        double residual = 0.0;
        for (int i = 0; i < count; i++) {
            residual += (points[i + 1] - points[i]) - mean;
        }
        return mean + residual / count;
    }
}
