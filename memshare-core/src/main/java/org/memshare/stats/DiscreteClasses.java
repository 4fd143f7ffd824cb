package org.memshare.stats;

import java.util.Arrays;

/**
 * The classes of a discrete variable: its sorted distinct values (−0.0 and 0.0 count as one, as in
 * R's unique). A value is assigned to a class through R's class edges, the midpoints between
 * neighbouring distinct values, a value on an edge going to the upper class.
 */
final class DiscreteClasses {

    private final double[] values;
    private final double[] upperEdges;

    private DiscreteClasses(double[] values) {
        this.values = values;
        upperEdges = new double[values.length - 1];
        for (int c = 0; c + 1 < values.length; c++) {
            upperEdges[c] = (values[c] + values[c + 1]) / 2.0;
        }
    }

    /** Classes of finite values; {@code values} is not modified. */
    static DiscreteClasses of(double[] values) {
        return new DiscreteClasses(distinctSorted(values));
    }

    static double[] distinctSorted(double[] values) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i] + 0.0; // turns −0.0 into 0.0
        }
        Arrays.sort(sorted);
        return distinctOfSorted(sorted);
    }

    static double[] distinctOfSorted(double[] sorted) {
        if (sorted.length == 0) {
            return sorted;
        }
        int distinct = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    static int countDistinctOfSorted(double[] sorted) {
        int distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }

    int count() {
        return values.length;
    }

    /** Index of a value that is one of the classes (exact match, no edges involved). */
    int indexOf(double value) {
        return Arrays.binarySearch(values, value + 0.0);
    }

    /** Number of edges ≤ value (findInterval over −∞, edges, +∞). */
    int classOf(double value) {
        int lo = 0;
        int hi = upperEdges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (upperEdges[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
